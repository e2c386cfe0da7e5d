import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { reconciliationDueSchema } from '#events/reconciliation-due.ts';
import { logger, metrics } from '#shared/observability.ts';
import { reconcileCampaign, type Reconciliation } from '#shared/store/reconciliation.ts';
import { sweepUncounted, type Sweep } from '#shared/store/uncounted-sweep.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';

// Of the function's 15 minutes (infra/manifest.ts): no recount starts that would end after 12 of them, leaving
// the rest for the one under way to finish should it run slower than the last.
const budgetMs = 12 * 60_000;

/**
 * One campaign's nightly reconciliation: count its confirmations the stream never counted (their records
 * dead-lettered), then recount it and correct drift. There should be neither; finding any raises the
 * count-drift alarm. A redelivered event sweeps an empty index and recounts again: nothing counts twice.
 */
export const handler = eventHandler(reconciliationDueSchema, async ({ slug, sweepBefore }): Promise<{ swept: Sweep; reconciled: Reconciliation }> => {
  const deadline = Date.now() + budgetMs;
  const swept = await sweepUncounted(slug, sweepBefore);
  metrics.addMetric('UncountedConfirmationsFound', MetricUnit.Count, swept.found);
  const reconciled = await reconcileCampaign(slug, { apply: true, deadline });
  metrics.addMetric('CountDriftFound', MetricUnit.Count, reconciled.drift === 0 ? 0 : 1);
  if (reconciled.drift !== 0) logger.error('count drift corrected', { campaign: slug, drift: reconciled.drift, corrected: reconciled.corrected });
  return { swept, reconciled };
});
