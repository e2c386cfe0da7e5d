import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';
import { listPublicSignatures } from '#shared/store/signature-store.ts';

/** Confirmed signers who chose to be listed: name, country and date, nothing else. */
export const handler = httpHandler(routes.listSignatures, async ({ path, query }) => {
  const campaign = await getPublicCampaign(path.slug ?? '');
  return json(200, await listPublicSignatures(campaign.slug, query));
});
