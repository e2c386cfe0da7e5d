import { z } from 'zod';
import { campaignStatuses } from '#shared/domain/campaign.ts';
import { campaignSummary } from '#shared/domain/campaign-views.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { json } from '#shared/http/responses.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';
import { listQueryShape } from '#shared/store/pagination.ts';

const query = z.object({ status: z.enum(campaignStatuses).optional(), ...listQueryShape });

export const handler = httpHandler({ admin: true, query }, async ({ query }) => {
  const page = await listCampaigns(query);
  return json(200, { items: page.items.map((c) => campaignSummary(c)), nextCursor: page.nextCursor });
});
