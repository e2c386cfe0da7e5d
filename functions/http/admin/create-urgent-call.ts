import { requestUrgentCall } from '#shared/use-cases/outreach-requests.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { conflict } from '#shared/http/problem.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';

/** Emails every confirmed subscriber of urgent alerts whose countries and topics match the campaign. */
export const handler = httpHandler(routes.adminCreateUrgentCall, async ({ path, body, operator }) => {
  const campaign = await getCampaign(path.slug ?? '');
  if (campaign.status !== 'open') throw conflict('campaign-not-open', 'Urgent calls are for open campaigns.');
  return json(202, await requestUrgentCall(campaign.slug, body.subject, body.message, operator.id));
});
