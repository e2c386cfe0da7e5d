/**
 * The queues between the table stream's router and the functions that act on what it forwards (SQS on AWS,
 * the local queue service on a laptop). Each function finds a queue's URL in `QUEUE_URL_<NAME>`, the name in
 * upper snake case (`confirmation-mail` → `QUEUE_URL_CONFIRMATION_MAIL`).
 */
// webhook-dead-letters: what EventBridge's API destinations gave up on (shared/webhooks/destinations.ts), each
// marked dead-lettered on its delivery by RecordWebhookDeadLetters.
export const queueNames = ['confirmation-mail', 'bulk-mail', 'webhook-dead-letters'] as const;

export type QueueName = (typeof queueNames)[number];

export function queueUrlVariable(name: QueueName): string {
  return `QUEUE_URL_${name.toUpperCase().replace(/-/g, '_')}`;
}
