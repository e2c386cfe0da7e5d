import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { webhookDelivery, type WebhookDeliveryDetail } from '#events/webhook-delivery.ts';
import { publish } from '#shared/events/publisher.ts';
import { cachedFor } from '#shared/mail/short-cache.ts';
import { metrics } from '#shared/observability.ts';
import { confirmedSignature } from '#shared/store/signature-store.ts';
import {
  beginDelivery,
  beginReplay,
  getDelivery,
  getWebhook,
  listWebhooks,
  markSent,
  openSecret,
  type StoredDelivery,
  type StoredWebhook,
} from '#shared/store/webhook-store.ts';
import { bodyOf, deliveryIds, type SourceEvent } from '#shared/webhooks/payloads.ts';
import { signedHeaders } from '#shared/webhooks/signing.ts';

/**
 * Signing deliveries: for one source event, one delivery per webhook that asks for its type, each recorded,
 * signed and put on the bus as a `WebhookDelivery` for the webhook's rule. The invariants:
 *
 * - A delivery is recorded (`signing`) before it is put on the bus and marked `sent` after: a source event
 *   delivered twice finds it sent and puts nothing; one whose first try died in between is put again, with the
 *   same event id (receivers dedupe on it).
 * - The body is built from the table at signing time, a signature's person within what they agreed to share
 *   with the webhook's partner (payloads.ts); the bus event carries it, signed, to EventBridge's API destination.
 */
export async function signDeliveries(event: SourceEvent, now: Date): Promise<{ sent: number; skipped: number }> {
  const webhooks = ((await currentWebhooks('webhooks')) ?? []).filter((webhook) => webhook.events.includes(event.detailType));
  if (webhooks.length === 0) return { sent: 0, skipped: 0 };
  const signature = event.detailType === 'SignatureConfirmed' ? await confirmedSignature(event.detail.slug, event.detail.emailKey) : undefined;
  const ready: { webhook: StoredWebhook; deliveryId: string; detail: WebhookDeliveryDetail }[] = [];
  let skipped = 0;
  for (const webhook of webhooks) {
    const { deliveryId, eventId } = deliveryIds(webhook.id, event);
    const begun = await beginDelivery({ webhookId: webhook.id, id: deliveryId, eventId, source: { detailType: event.detailType, detail: event.detail }, at: now });
    if (!begun) {
      skipped++;
      continue;
    }
    const body = bodyOf(eventId, event, webhook, signature);
    ready.push({ webhook, deliveryId, detail: { webhookId: webhook.id, deliveryId, type: event.detailType, headers: signedHeaders(openSecret(webhook), eventId, body, now), body } });
  }
  // PutEvents takes 10 entries a call (publish splits); the bodies are a few hundred bytes, far under 256 KB.
  await publish(ready.map(({ detail }) => ({ detailType: webhookDelivery, detail })));
  await Promise.all(ready.map(({ webhook, deliveryId }) => markSent(webhook.id, deliveryId, now)));
  metrics.addMetric('WebhookDeliveriesSent', MetricUnit.Count, ready.length);
  return { sent: ready.length, skipped };
}

/**
 * The webhooks, read at most every 10 seconds per container. Every event is one invocation, and all webhooks share
 * one partition: 2,000 confirmations a second would be 2,000 queries a second on it (a partition serves 3,000 read
 * units), where 200 containers read it 20 times. The price: a webhook added is sent events from 10 seconds after,
 * and one removed is signed for as long, to a rule that no longer exists.
 */
const currentWebhooks = cachedFor(10_000, () => listWebhooks());

/** For tests that add webhooks between events in one process. */
export function forgetWebhooks(): void {
  currentWebhooks.forget();
}

/**
 * Sends a delivery again: the same event id, a new timestamp and signature, the body built again from the table
 * (so what was erased or withdrawn meanwhile is not sent).
 */
export async function replayDelivery(webhookId: string, deliveryId: string, now: Date): Promise<StoredDelivery> {
  const webhook = await getWebhook(webhookId);
  const delivery = await getDelivery(webhookId, deliveryId);
  const event = delivery.source as SourceEvent;
  const signature = event.detailType === 'SignatureConfirmed' ? await confirmedSignature(event.detail.slug, event.detail.emailKey) : undefined;
  const body = bodyOf(delivery.eventId, event, webhook, signature);
  const detail: WebhookDeliveryDetail = { webhookId, deliveryId, type: delivery.type, headers: signedHeaders(openSecret(webhook), delivery.eventId, body, now), body };
  await beginReplay(webhookId, deliveryId, now);
  await publish([{ detailType: webhookDelivery, detail }]);
  await markSent(webhookId, deliveryId, now);
  metrics.addMetric('WebhookDeliveriesReplayed', MetricUnit.Count, 1);
  return getDelivery(webhookId, deliveryId);
}
