import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { setOffset } from '#shared/store/counter-store.ts';

export const handler = httpHandler(routes.adminSetOffset, async ({ path, body, operator }) => {
  const campaign = await getCampaign(path.slug ?? '');
  return json(200, await setOffset(campaign.slug, body, operator.id, campaign.goal));
});
