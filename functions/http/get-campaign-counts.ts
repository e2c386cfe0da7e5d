import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';

export const handler = httpHandler(routes.getCampaignCounts, async ({ path }) => {
  const campaign = await getPublicCampaign(path.slug ?? '');
  const counts = await getCounts(campaign.slug, campaign.goal);
  // Counters move in batches anyway; a few seconds of caching absorbs a widget on a busy page.
  return json(200, counts);
});
