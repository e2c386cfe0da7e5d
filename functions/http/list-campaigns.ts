import { z } from 'zod';
import { campaignKinds, campaignStatuses } from '#shared/domain/campaign.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { json } from '#shared/http/responses.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';
import { listQueryShape } from '#shared/store/pagination.ts';
import { campaignSummary } from '#shared/domain/campaign-views.ts';

const query = z.object({
  kind: z.enum(campaignKinds).optional(),
  // Drafts are never public.
  status: z.enum(campaignStatuses).exclude(['draft']).default('open'),
  locale: z.string().max(35).optional(),
  ...listQueryShape,
});

export const handler = httpHandler({ query }, async ({ query }) => {
  const page = await listCampaigns(query);
  return json(200, { items: page.items.map((c) => campaignSummary(c, query.locale)), nextCursor: page.nextCursor });
});
