import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { now } from '#shared/clock.ts';
import { logger, metrics } from '#shared/observability.ts';
import { campaignsWithStatus } from '#shared/store/campaign-store.ts';
import { reconcileCampaign, type Reconciliation } from '#shared/store/reconciliation.ts';
import { sweepUncounted, type Sweep } from '#shared/store/uncounted-sweep.ts';
import { scheduleHandler } from '#shared/triggers/schedule-handler.ts';

// Confirmations younger than this are left to the stream, which may still be retrying them.
const sweepAfterMs = 60 * 60_000;

/**
 * Nightly: count confirmations the stream never counted (their records dead-lettered), then recount every open
 * campaign and correct drift. There should be neither; finding any raises the count-drift alarm.
 */
export const handler = scheduleHandler(async (): Promise<{ swept: Sweep; reconciled: number; drifted: Reconciliation[] }> => {
  const swept = await sweepUncounted(new Date(now().getTime() - sweepAfterMs).toISOString());
  metrics.addMetric('UncountedConfirmationsFound', MetricUnit.Count, swept.found);
  const drifted: Reconciliation[] = [];
  let reconciled = 0;
  for await (const campaign of campaignsWithStatus('open')) {
    const result = await reconcileCampaign(campaign.slug, { apply: true });
    reconciled++;
    if (result.drift !== 0) drifted.push(result);
  }
  metrics.addMetric('CountDriftFound', MetricUnit.Count, drifted.length);
  if (drifted.length) logger.error('count drift corrected', { drifted: drifted.map((d) => ({ campaign: d.campaign, drift: d.drift, corrected: d.corrected })) });
  return { swept, reconciled, drifted };
});
