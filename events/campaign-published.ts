import * as z from 'zod';

export const eventSource = 'tadamon';

/** Detail of `CampaignPublished`: a campaign became open. Emitted once per transition, delivered at least once. */
export const campaignPublishedSchema = z.object({
  slug: z.string(),
  kind: z.enum(['petition', 'statement', 'appeal']),
  title: z.string(),
  urgent: z.boolean(),
  countries: z.array(z.string()),
  topics: z.array(z.string()),
  publishedAt: z.string(),
});
export type CampaignPublished = z.infer<typeof campaignPublishedSchema>;
export const campaignPublished = 'CampaignPublished';
