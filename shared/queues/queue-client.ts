import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type QueueName, queueUrlVariable } from './queue-names.ts';

export interface QueueMessage {
  /** Unique within one call (SQS batch entry id: letters, digits, `-` and `_`, at most 80). */
  id: string;
  body: unknown;
  delaySeconds?: number;
}

let client: SQSClient | undefined;

/** One client per container; the endpoint comes from AWS_ENDPOINT_URL_SQS when set (locally). */
function sqs(): SQSClient {
  client ??= new SQSClient({});
  return client;
}

export function queueUrl(name: QueueName): string {
  const variable = queueUrlVariable(name);
  const url = process.env[variable];
  if (!url) throw new Error(`${variable} is not set: this function does not send to the ${name} queue (infra/manifest.ts "sendsTo")`);
  return url;
}

/** SendMessageBatch takes at most 10 entries. */
const batchLimit = 10;
const attempts = 5;

/**
 * Puts every message on the queue or throws: entries SQS refuses in a batch are sent again (they are the
 * retryable kind: throttling, internal errors); what still fails after the last attempt fails the caller,
 * whose own delivery is then retried, so a message is never dropped. Consumers are idempotent, so a message
 * sent twice by such a retry does no harm.
 */
export async function sendToQueue(name: QueueName, messages: readonly QueueMessage[]): Promise<void> {
  const url = queueUrl(name);
  for (let start = 0; start < messages.length; start += batchLimit) {
    let pending = messages.slice(start, start + batchLimit);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const result = await sqs().send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: pending.map((message) => ({
            Id: message.id,
            MessageBody: JSON.stringify(message.body),
            ...(message.delaySeconds ? { DelaySeconds: message.delaySeconds } : {}),
          })),
        }),
      );
      const failed = new Set((result.Failed ?? []).map((entry) => entry.Id));
      pending = pending.filter((message) => failed.has(message.id));
      if (pending.length > 0 && attempt >= attempts) {
        const reasons = (result.Failed ?? []).map((entry) => entry.Code).join(', ');
        throw new Error(`${pending.length} message(s) could not be put on the ${name} queue (${reasons})`);
      }
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}
