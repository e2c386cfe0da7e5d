import { sesFeedbackSchema } from '#events/ses-feedback.ts';
import { logger } from '#shared/observability.ts';
import { suppress } from '#shared/store/outreach-store.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';

/**
 * SES bounce and complaint events (configuration set → EventBridge): hard-bounced and complaining addresses
 * go on the suppression list every send checks. Soft bounces are left to SES's own retries. Idempotent.
 */
export const handler = eventHandler(sesFeedbackSchema, async (detail): Promise<{ suppressed: number }> => {
  const addresses =
    detail.eventType === 'Complaint'
      ? (detail.complaint?.complainedRecipients ?? []).map((r) => ({ address: r.emailAddress, reason: 'complaint' as const }))
      : detail.eventType === 'Bounce' && detail.bounce?.bounceType === 'Permanent'
        ? (detail.bounce.bouncedRecipients ?? []).map((r) => ({ address: r.emailAddress, reason: 'bounce' as const }))
        : [];
  let suppressed = 0;
  for (const { address, reason } of addresses) {
    if (!address) continue;
    await suppress(emailKey(address), reason);
    suppressed++;
  }
  if (suppressed) logger.info('addresses suppressed', { suppressed, eventType: detail.eventType });
  return { suppressed };
});
