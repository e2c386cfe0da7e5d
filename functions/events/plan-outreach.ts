import { outreachRequestedSchema } from '#events/outreach.ts';
import { isRecipient } from '#shared/domain/outreach-planning.ts';
import { logger } from '#shared/observability.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { createDelivery, findOutreach, finishPlanning } from '#shared/store/outreach-store.ts';
import { listConfirmedSubscribers } from '#shared/store/subscription-store.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';

const concurrency = 16;

/**
 * The fan-out planner: pages through confirmed subscribers and records one delivery per recipient under a
 * deterministic id (outreach + subscriber). Run it twice — a redelivered event, a retry after a crash — and
 * the second run creates nothing new; the recipient count is then counted from the deliveries.
 */
export const handler = eventHandler(outreachRequestedSchema, async (requested): Promise<{ recipients: number }> => {
  const outreach = await findOutreach(requested.outreachId);
  if (!outreach) {
    logger.warn('outreach to plan does not exist', { outreachId: requested.outreachId });
    return { recipients: 0 };
  }
  if (outreach.planned) return { recipients: outreach.recipients };
  const campaign = outreach.campaign ? await findCampaign(outreach.campaign) : undefined;
  let cursor: string | undefined;
  do {
    const page = await listConfirmedSubscribers({ limit: 100, cursor });
    const recipients = page.items.filter((subscriber) => isRecipient(outreach, subscriber, campaign));
    for (let i = 0; i < recipients.length; i += concurrency) {
      await Promise.all(recipients.slice(i, i + concurrency).map((r) => createDelivery(outreach.id, r.key)));
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const recipients = await finishPlanning(outreach.id);
  logger.info('outreach planned', { outreachId: outreach.id, kind: outreach.kind, recipients });
  return { recipients };
});
