import { webhookDeliverySchema } from '#events/webhook-delivery.ts';
import { manifest } from '#infra/manifest.ts';
import { recordOutcome } from '#shared/store/webhook-store.ts';
import type { AttemptReport } from './api-destinations.ts';
import { asFunction } from './item-access.ts';

/**
 * What the local bus saw of a webhook delivery, recorded on it: every attempt's status code or error, and the dead
 * letter after the last. On AWS only the dead letter is known (RecordWebhookDeadLetters); locally the record is
 * written as that function, with its grants.
 */
const recorder = manifest.find((spec) => spec.name === 'RecordWebhookDeadLetters');

export async function recordWebhookAttempt(report: AttemptReport): Promise<void> {
  const parsed = webhookDeliverySchema.safeParse(report.event.detail);
  if (!parsed.success || !recorder) return;
  const { webhookId, deliveryId } = parsed.data;
  await asFunction(recorder, () =>
    recordOutcome(webhookId, deliveryId, { status: report.outcome, attempt: true, statusCode: report.statusCode, error: report.error, at: new Date() }),
  );
}
