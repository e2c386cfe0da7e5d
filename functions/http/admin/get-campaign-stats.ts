import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { getSourceCounts, getStats } from '#shared/store/stats-store.ts';

/** The public stats (drafts too) and where signers came from: counts per source value, never per person. */
export const handler = httpHandler(routes.adminGetCampaignStats, async ({ path, query }) => {
  const campaign = await getCampaign(path.slug ?? '');
  const [stats, bySource] = await Promise.all([getStats(campaign, query.interval), getSourceCounts(campaign.slug)]);
  return json(200, { ...stats, bySource });
});
