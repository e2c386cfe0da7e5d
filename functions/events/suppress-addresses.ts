import type { EventBridgeEvent } from 'aws-lambda';
import { logger } from '#shared/observability.ts';
import { suppress } from '#shared/store/outreach-store.ts';
import { emailKey } from '#shared/store/signature-store.ts';

interface SesEventDetail {
  eventType?: string;
  bounce?: { bounceType?: string; bouncedRecipients?: { emailAddress?: string }[] };
  complaint?: { complainedRecipients?: { emailAddress?: string }[] };
}

/**
 * SES bounce and complaint events (configuration set → EventBridge): hard-bounced and complaining addresses
 * go on the suppression list every send checks. Soft bounces are left to SES's own retries. Idempotent.
 */
export async function handler(event: EventBridgeEvent<string, SesEventDetail>): Promise<{ suppressed: number }> {
  const detail = event.detail;
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
}
