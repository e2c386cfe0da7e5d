import * as z from 'zod';
import { webhookEvents } from '#shared/domain/webhook.ts';

/**
 * Detail of `WebhookDelivery`: one signed delivery to one webhook, put on the bus by SignWebhookDeliveries (and by
 * a replay). The webhook's rule matches its `webhookId` and hands the event to the webhook's API destination,
 * which POSTs `body` and takes the three headers from `headers` (HttpParameters.HeaderParameters as JSON
 * paths). EventBridge cannot compute an HMAC per request, so the signature is made here, once per delivery.
 */
export const webhookDeliverySchema = z.object({
  webhookId: z.string().min(1),
  deliveryId: z.string().min(1),
  type: z.enum(webhookEvents),
  headers: z.object({
    /** The idempotency key: the same across EventBridge's retries and operators' replays. */
    eventId: z.string().min(1),
    /** Unix seconds, as text (a header's value). */
    timestamp: z.string().regex(/^\d+$/),
    /** `v1=` and the hex HMAC-SHA256 of `${timestamp}.${body}` under the webhook's secret. */
    signature: z.string().regex(/^v1=[0-9a-f]{64}$/),
  }),
  /** What is POSTed, as JSON; the signature is over its serialisation (shared/webhooks/signing.ts). */
  body: z.record(z.string(), z.unknown()),
});
export type WebhookDeliveryDetail = z.infer<typeof webhookDeliverySchema>;
export const webhookDelivery = 'WebhookDelivery';
