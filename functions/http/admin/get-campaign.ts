import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';

export const handler = httpHandler(routes.adminGetCampaign, async ({ path }) => {
  const campaign = await getCampaign(path.slug ?? '');
  return json(200, { ...campaign, counts: await getCounts(campaign.slug, campaign.goal) });
});
