import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { transitionCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';

export const handler = httpHandler(routes.adminCloseCampaign, async ({ path }) => {
  const campaign = await transitionCampaign(path.slug ?? '', ['open'], 'closed');
  return json(200, { ...campaign, counts: await getCounts(campaign.slug, campaign.goal) });
});
