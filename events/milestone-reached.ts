import * as z from 'zod';

/**
 * Detail of `MilestoneReached`: a campaign's total (signatures + offset) crossed a threshold — a share of
 * its goal (25, 50, 75, 100 %) or a round number (1k, 10k, 100k, 1M). Each threshold is claimed exactly once
 * per campaign; the event is delivered at least once, so consumers dedupe on `milestoneId`.
 */
export const milestoneReachedSchema = z.object({
  milestoneId: z.string(),
  slug: z.string(),
  threshold: z.number().int().positive(),
  kind: z.enum(['goal-share', 'round-number']),
  goalPercent: z.number().int().optional(),
  total: z.number().int(),
  reachedAt: z.string(),
});
export type MilestoneReached = z.infer<typeof milestoneReachedSchema>;
export const milestoneReached = 'MilestoneReached';
