import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';

export const handler = httpHandler(routes.adminCreateCampaign, async ({ body }) => {
  const campaign = await createCampaign(body);
  const counts = await getCounts(campaign.slug, campaign.goal);
  return json(201, { ...campaign, counts }, { location: `/admin/campaigns/${campaign.slug}` });
});
