import { reconciliationDue } from '#events/reconciliation-due.ts';
import { now } from '#shared/clock.ts';
import type { Campaign } from '#shared/domain/campaign.ts';
import { publish } from '#shared/events/publisher.ts';
import { campaignsWithStatus } from '#shared/store/campaign-store.ts';
import { scheduleHandler } from '#shared/triggers/schedule-handler.ts';

// Confirmations younger than this are left to the stream, which may still be retrying them.
const sweepAfterMs = 60 * 60_000;
// A campaign closed this recently may still have confirmations whose records the stream lost (a link clicked
// just before the close, a record dead-lettered and kept 14 days): it is reconciled too, then left alone.
const closedWithinMs = 14 * 86_400_000;

/**
 * Nightly: one `CampaignReconciliationDue` event per open (or recently closed) campaign, each reconciled by
 * ReconcileCampaignCounts on its own (functions/events/reconcile-campaign-counts.ts). This job only lists
 * campaigns (a page of 100 per query), so it stays short however many there are, and one campaign's size
 * never holds up another's.
 */
export const handler = scheduleHandler(async (): Promise<{ campaigns: number }> => {
  const at = now().getTime();
  const sweepBefore = new Date(at - sweepAfterMs).toISOString();
  const closedSince = new Date(at - closedWithinMs).toISOString();
  let campaigns = 0;
  let batch: { detailType: string; detail: unknown }[] = [];
  const due = async (campaign: Campaign) => {
    batch.push({ detailType: reconciliationDue, detail: { slug: campaign.slug, sweepBefore } });
    campaigns++;
    if (batch.length === 100) {
      await publish(batch);
      batch = [];
    }
  };
  for await (const campaign of campaignsWithStatus('open')) await due(campaign);
  for await (const campaign of campaignsWithStatus('closed')) {
    if ((campaign.closedAt ?? campaign.updatedAt) >= closedSince) await due(campaign);
  }
  if (batch.length) await publish(batch);
  return { campaigns };
});
