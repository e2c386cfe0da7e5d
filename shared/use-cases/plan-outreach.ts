import { nowIso } from '#shared/clock.ts';
import { isRecipient, testDeliveryKeys } from '#shared/domain/outreach-planning.ts';
import { logger } from '#shared/observability.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { confirmedSubscriberPages, createDeliveries, findOutreach, finishPlanning, isCancelled } from '#shared/store/outreach-store.ts';
import { claimPlanning, type ClaimOptions } from '#shared/store/planning-lease.ts';
import { readingAhead } from '#shared/store/reading-ahead.ts';

/**
 * The fan-out planner: pages through confirmed subscribers and records one delivery per recipient under a
 * deterministic id (outreach + subscriber). Run it twice — a redelivered event, a retry after a crash — and
 * the second run creates nothing new; the recipient count is then counted from the deliveries. A run plans under
 * the outreach's planning lease (planning-lease.ts): the first run puts its deliveries in batches without a
 * condition, a run after a dead one writes them conditionally, and a duplicate of a live run waits for it and
 * answers its count. A test send's deliveries are its addresses' language versions, under keys no subscriber has,
 * written conditionally without a lease; a scheduled outreach is planned once due (its event comes then), and a
 * cancelled one stops between pages.
 */
export async function planOutreach(outreachId: string, options: ClaimOptions = {}): Promise<{ recipients: number }> {
  const outreach = await findOutreach(outreachId);
  if (!outreach) {
    logger.warn('outreach to plan does not exist', { outreachId });
    return { recipients: 0 };
  }
  if (outreach.planned) return { recipients: outreach.recipients };
  // Its event comes when it is due, put just before it leaves the waiting listing: due is enough.
  if (outreach.state === 'scheduled' && (outreach.sendAt ?? '') > nowIso()) return { recipients: 0 };
  let planning: 'first' | 'after' | undefined;
  if (outreach.test) {
    await createDeliveries(outreach.id, testDeliveryKeys(outreach));
  } else {
    const claim = await claimPlanning(outreach.id, options);
    if ('missing' in claim) return { recipients: 0 };
    if ('planned' in claim) return { recipients: claim.planned };
    const { lease } = claim;
    planning = lease.mode;
    const campaign = outreach.campaign ? await findCampaign(outreach.campaign) : undefined;
    for await (const subscribers of readingAhead(confirmedSubscriberPages())) {
      if (outreach.state === 'cancelled' || (await isCancelled(outreach.id))) break;
      const recipients = subscribers.filter((subscriber) => isRecipient(outreach, subscriber, campaign));
      await createDeliveries(outreach.id, recipients.map((r) => r.key), lease);
    }
  }
  const recipients = await finishPlanning(outreach.id);
  logger.info('outreach planned', { outreachId: outreach.id, kind: outreach.kind, recipients, ...(outreach.test ? { test: true } : { planning }) });
  return { recipients };
}
