import { issueUrgentCall } from '#shared/use-cases/outreach-requests.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { conflict } from '#shared/http/problem.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';

/**
 * An urgent call about an open campaign, in each language given: sent now, at `sendAt`, only to test addresses,
 * or (a dry run) only counted.
 */
export const handler = httpHandler(routes.adminCreateUrgentCall, async ({ path, body, operator }) => {
  const campaign = await getCampaign(path.slug ?? '');
  if (campaign.status !== 'open') throw conflict('campaign-not-open', 'Urgent calls are for open campaigns.');
  const outcome = await issueUrgentCall(campaign, body, operator.id);
  if (outcome.dryRun) return json(200, { audience: outcome.audience, byLocale: outcome.byLocale });
  return json(202, { outreachId: outcome.outreachId });
});
