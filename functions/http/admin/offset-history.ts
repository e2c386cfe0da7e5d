import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { listOffsetChanges } from '#shared/store/counter-store.ts';

/** The offset's audit trail, newest first: who changed it, when, from what, to what, and why. */
export const handler = httpHandler(routes.adminOffsetHistory, async ({ path, query }) => {
  const campaign = await getCampaign(path.slug ?? '');
  return json(200, await listOffsetChanges(campaign.slug, query));
});
