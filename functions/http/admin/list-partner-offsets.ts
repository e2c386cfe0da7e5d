import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { listPartnerCounts } from '#shared/store/counter-store.ts';

/** Each partner's current count and breakdown: what the campaign's offset is made of. */
export const handler = httpHandler(routes.adminListPartnerOffsets, async ({ path }) => {
  const campaign = await getCampaign(path.slug ?? '');
  return json(200, { items: await listPartnerCounts(campaign.slug) });
});
