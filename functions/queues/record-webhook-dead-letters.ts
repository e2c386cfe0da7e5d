import * as z from 'zod';
import { webhookDelivery } from '#events/webhook-delivery.ts';
import { logger } from '#shared/observability.ts';
import { recordOutcome } from '#shared/store/webhook-store.ts';
import { queueHandler } from '#shared/triggers/queue-handler.ts';

/**
 * What EventBridge gave up on: a `WebhookDelivery` its API destination did not take within the retry policy (24
 * hours, 185 attempts), or at once for an error it does not retry. The message is the event, with EventBridge's
 * reasons as message attributes (ERROR_CODE, ERROR_MESSAGE, RETRY_ATTEMPTS). The delivery is marked
 * `dead-lettered` with them, where operators list it and can replay it; the message (which holds the signed body)
 * is then deleted. Recording twice writes the same.
 */
const deadLetterSchema = z.object({
  'detail-type': z.literal(webhookDelivery),
  detail: z.object({ webhookId: z.string().min(1), deliveryId: z.string().min(1) }),
});

export const handler = queueHandler(deadLetterSchema, async (message, record) => {
  const attribute = (name: string) => record.messageAttributes[name]?.stringValue;
  const code = attribute('ERROR_CODE');
  const reason = attribute('ERROR_MESSAGE');
  const statusCode = Number(/\b([1-5]\d\d)\b/.exec(`${code ?? ''} ${reason ?? ''}`)?.[1]);
  await recordOutcome(message.detail.webhookId, message.detail.deliveryId, {
    status: 'dead-lettered',
    attempt: false,
    ...(Number.isInteger(statusCode) ? { statusCode } : {}),
    error: [code, reason].filter(Boolean).join(': ') || 'EventBridge gave up on it',
    at: new Date(),
  });
  logger.info('webhook delivery dead-lettered', { webhookId: message.detail.webhookId, deliveryId: message.detail.deliveryId, code, retries: attribute('RETRY_ATTEMPTS') });
});
