import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';
import { campaignSummary } from '#shared/domain/campaign-views.ts';

export const handler = httpHandler(routes.listCampaigns, async ({ query }) => {
  const page = await listCampaigns(query);
  return json(200, { items: page.items.map((c) => campaignSummary(c, query.locale)), nextCursor: page.nextCursor });
});
