import * as z from 'zod';

/**
 * Detail of `CampaignClosed`: a campaign stopped taking signatures (an operator closed it, or its end date
 * passed). Emitted once per transition through the outbox; consumers dedupe on `slug` and `closedAt`.
 */
export const campaignClosedSchema = z.object({
  slug: z.string().min(1),
  kind: z.enum(['petition', 'statement', 'appeal']),
  title: z.string(),
  closedAt: z.string(),
});
export type CampaignClosed = z.infer<typeof campaignClosedSchema>;
export const campaignClosed = 'CampaignClosed';
