import { campaignSummary } from '#shared/domain/campaign-views.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { adminListCampaignsQuerySchema } from '#shared/http/request-schemas.ts';
import { json } from '#shared/http/responses.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';

export const handler = httpHandler({ admin: true, query: adminListCampaignsQuerySchema }, async ({ query }) => {
  const page = await listCampaigns(query);
  return json(200, { items: page.items.map((c) => campaignSummary(c)), nextCursor: page.nextCursor });
});
