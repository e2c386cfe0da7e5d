import * as z from 'zod';

/**
 * Detail of `CampaignReconciliationDue`: one campaign's share of the nightly reconciliation (count what the
 * stream never counted, confirmed before `sweepBefore`; then recount and correct drift). One event per open
 * campaign, so each campaign is a unit of work of its own within one function's timeout. Delivered at least
 * once: sweeping and correcting are both safe to repeat.
 */
export const reconciliationDueSchema = z.object({
  slug: z.string().min(1),
  sweepBefore: z.string().datetime(),
});
export type ReconciliationDue = z.infer<typeof reconciliationDueSchema>;
export const reconciliationDue = 'CampaignReconciliationDue';
