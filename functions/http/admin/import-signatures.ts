import { putSubmissions } from '#shared/events/signature-submissions.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { assertAcceptsSignatures } from '#shared/use-cases/sign-campaign.ts';

/**
 * Puts a batch of imported signature requests on the bus, where RecordSubmittedSignature records them as it
 * records a partner's. The campaign is checked here too, so an operator learns at once that it takes no
 * signatures rather than from a count of rejected events.
 */
export const handler = httpHandler(routes.adminImportSignatures, async ({ path, body }) => {
  const campaign = await getCampaign(path.slug ?? '');
  assertAcceptsSignatures(campaign);
  const entries = await putSubmissions(body.signatures.map((row) => ({ slug: campaign.slug, ...row })));
  return json(202, { entries, failed: entries.filter((entry) => 'errorCode' in entry).length });
});
