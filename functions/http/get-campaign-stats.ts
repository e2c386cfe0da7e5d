import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';
import { getStats } from '#shared/store/stats-store.ts';

/** Signatures over time and per country: about the campaign only (sources stay with operators). */
export const handler = httpHandler(routes.getCampaignStats, async ({ path, query }) => {
  const campaign = await getPublicCampaign(path.slug ?? '');
  // Cached like the counts (routes.ts): the day items move once per counting batch, as the counter does.
  return json(200, await getStats(campaign, query.interval));
});
