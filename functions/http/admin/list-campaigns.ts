import { campaignSummary } from '#shared/domain/campaign-views.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';

export const handler = httpHandler(routes.adminListCampaigns, async ({ query }) => {
  const page = await listCampaigns(query);
  return json(200, { items: page.items.map((c) => campaignSummary(c)), nextCursor: page.nextCursor });
});
