import { outreachRequestedSchema } from '#events/outreach.ts';
import { nowIso } from '#shared/clock.ts';
import { isRecipient, testDeliveryKeys } from '#shared/domain/outreach-planning.ts';
import { logger } from '#shared/observability.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { confirmedSubscriberPages, createDeliveries, findOutreach, finishPlanning, isCancelled } from '#shared/store/outreach-store.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';
import { readingAhead } from '#shared/store/reading-ahead.ts';

/**
 * The fan-out planner: pages through confirmed subscribers and records one delivery per recipient under a
 * deterministic id (outreach + subscriber). Run it twice — a redelivered event, a retry after a crash — and
 * the second run creates nothing new; the recipient count is then counted from the deliveries. A test send's
 * deliveries are its addresses' language versions, under keys no subscriber has; a scheduled outreach is
 * planned once due (its event comes then), and a cancelled one stops between pages.
 */
export const handler = eventHandler(outreachRequestedSchema, async (requested): Promise<{ recipients: number }> => {
  const outreach = await findOutreach(requested.outreachId);
  if (!outreach) {
    logger.warn('outreach to plan does not exist', { outreachId: requested.outreachId });
    return { recipients: 0 };
  }
  if (outreach.planned) return { recipients: outreach.recipients };
  // Its event comes when it is due, put just before it leaves the waiting listing: due is enough.
  if (outreach.state === 'scheduled' && (outreach.sendAt ?? '') > nowIso()) return { recipients: 0 };
  if (outreach.test) {
    await createDeliveries(outreach.id, testDeliveryKeys(outreach));
  } else {
    const campaign = outreach.campaign ? await findCampaign(outreach.campaign) : undefined;
    for await (const subscribers of readingAhead(confirmedSubscriberPages())) {
      if (outreach.state === 'cancelled' || (await isCancelled(outreach.id))) break;
      const recipients = subscribers.filter((subscriber) => isRecipient(outreach, subscriber, campaign));
      await createDeliveries(outreach.id, recipients.map((r) => r.key));
    }
  }
  const recipients = await finishPlanning(outreach.id);
  logger.info('outreach planned', { outreachId: outreach.id, kind: outreach.kind, recipients, ...(outreach.test ? { test: true } : {}) });
  return { recipients };
});
