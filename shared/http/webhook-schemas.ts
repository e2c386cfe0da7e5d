import * as z from 'zod';
import { deliveryStatuses, webhookEvents } from '#shared/domain/webhook.ts';
import { pageOf } from './api-schemas.ts';

/** Answers of the webhook routes (shared/http/routes.ts). A webhook's secret appears in one answer only: its creation's. */

export const webhookSchema = /* @__PURE__ */ z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(webhookEvents)),
  partner: z.string().optional().describe('The partner organisation it delivers to; absent: the operator\'s own system.'),
  createdAt: z.string(),
  createdBy: z.string(),
});

export const webhookCreatedSchema = /* @__PURE__ */ webhookSchema.extend({
  secret: z.string().describe('Shown this once: the key of every delivery\'s Tadamon-Signature. Store it with the receiver.'),
});

export const webhookListSchema = /* @__PURE__ */ z.object({ items: z.array(webhookSchema) });

export const webhookDeletedSchema = /* @__PURE__ */ z.object({ id: z.string(), deleted: z.literal(true) });

export const webhookDeliverySchema = /* @__PURE__ */ z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string().describe('Tadamon-Event-Id: the same across retries and replays.'),
  type: z.enum(webhookEvents),
  status: z
    .enum(deliveryStatuses)
    .describe(
      '`signing`: being recorded and signed · `sent`: handed to EventBridge, which retries for 24 hours (on AWS nothing more is known of a delivery that succeeds) · `delivered`, `retrying`: what the local runtime saw · `dead-lettered`: given up on after 24 hours (locally, after its few attempts).',
    ),
  attempts: z.number().int().describe('Attempts seen (the local runtime counts each; on AWS, 0 until a dead letter).'),
  statusCode: z.number().int().optional().describe('The receiver\'s last answer, where known.'),
  lastError: z.string().optional(),
  replays: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const webhookDeliveryPageSchema = /* @__PURE__ */ pageOf(webhookDeliverySchema);
