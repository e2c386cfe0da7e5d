import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from '#shared/observability.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';
import { reconcileCampaign, type Reconciliation } from '#shared/store/reconciliation.ts';

/** Nightly: recount every open campaign and correct drift (there should be none; finding any is an alarm). */
export async function handler(): Promise<{ reconciled: number; drifted: Reconciliation[] }> {
  const drifted: Reconciliation[] = [];
  let reconciled = 0;
  let cursor: string | undefined;
  do {
    const page = await listCampaigns({ status: 'open', limit: 100, cursor });
    for (const campaign of page.items) {
      const result = await reconcileCampaign(campaign.slug, { apply: true });
      reconciled++;
      if (result.drift !== 0) drifted.push(result);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  metrics.addMetric('CountDriftFound', MetricUnit.Count, drifted.length);
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  if (drifted.length) logger.error('count drift corrected', { drifted: drifted.map((d) => ({ campaign: d.campaign, drift: d.drift, corrected: d.corrected })) });
  return { reconciled, drifted };
}
