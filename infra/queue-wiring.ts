/**
 * Which function consumes each queue, and with what settings: read by the CDK stack (infra/stack/queues.ts) and
 * the local runtime (infra/local/queue-poller.ts) alike, so both build the same queues from the manifest.
 */

import type { FunctionSpec, QueueTrigger } from '#infra/manifest.ts';
import { type QueueName, queueNames } from '#shared/queues/queue-names.ts';

export interface QueueWiring {
  name: QueueName;
  /** The one function that takes its messages; a queue nobody consumes yet still exists, so senders never fail. */
  consumer?: { spec: FunctionSpec; trigger: QueueTrigger };
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
}

/** SQS's own default, for a queue no function consumes yet. */
const defaultVisibilityTimeoutSeconds = 30;
const defaultMaxReceiveCount = 5;

/** Every queue holds messages 14 days (SQS's maximum): a long outage of a sender loses nothing. */
export const queueRetentionSeconds = 14 * 24 * 3600;

/**
 * One dead-letter queue takes what every queue gave up on: SQS's redrive sends each message back to the queue it
 * came from (`start-message-move-task` without a destination), so one is enough.
 */
export const queueDeadLetterName = 'queue-dead-letters';

/** SQS's default (and classic) largest message, which both runtimes enforce. */
export const maxMessageBytes = 256 * 1024;

export function queueWiring(manifest: readonly FunctionSpec[]): QueueWiring[] {
  return queueNames.map((name) => {
    const consumers = manifest.flatMap((spec) =>
      spec.triggers.filter((t): t is QueueTrigger => t.type === 'queue' && t.queue === name).map((trigger) => ({ spec, trigger })),
    );
    // Two mappings on one standard queue would split its messages between them, not give each all of them.
    if (consumers.length > 1) throw new Error(`Queue ${name} has ${consumers.length} consumers (${consumers.map((c) => c.spec.name).join(', ')}); a queue has one`);
    const consumer = consumers[0];
    if (!consumer) return { name, visibilityTimeoutSeconds: defaultVisibilityTimeoutSeconds, maxReceiveCount: defaultMaxReceiveCount };
    const { spec, trigger } = consumer;
    const timeout = spec.timeoutSeconds ?? 10;
    // Lambda refuses a mapping whose function may run longer than its queue hides a message; a message also
    // waits out the batching window while hidden, so a shorter timeout would deliver it twice as a rule.
    if (trigger.visibilityTimeoutSeconds < timeout + trigger.maxBatchingWindowSeconds) {
      throw new Error(
        `${spec.name}: the ${name} queue's visibility timeout (${trigger.visibilityTimeoutSeconds} s) is shorter than the function's timeout plus the batching window (${timeout + trigger.maxBatchingWindowSeconds} s)`,
      );
    }
    if (trigger.batchSize < 1 || trigger.batchSize > 10_000) throw new Error(`${spec.name}: batchSize must be 1 to 10,000`);
    if (trigger.maxBatchingWindowSeconds < 0 || trigger.maxBatchingWindowSeconds > 300) throw new Error(`${spec.name}: maxBatchingWindowSeconds must be 0 to 300`);
    if (trigger.maxReceiveCount < 1 || trigger.maxReceiveCount > 1000) throw new Error(`${spec.name}: maxReceiveCount must be 1 to 1,000`);
    if (trigger.maxConcurrency !== undefined && (trigger.maxConcurrency < 2 || trigger.maxConcurrency > 1000)) {
      throw new Error(`${spec.name}: maxConcurrency must be 2 to 1,000 (Lambda's range)`);
    }
    if (trigger.paceSeconds !== undefined && !(trigger.paceSeconds > 0)) throw new Error(`${spec.name}: paceSeconds must be above 0`);
    if (trigger.batchSize > 10 && trigger.maxBatchingWindowSeconds < 1) throw new Error(`${spec.name}: a batch of more than 10 needs a batching window of at least 1 s`);
    return { name, consumer, visibilityTimeoutSeconds: trigger.visibilityTimeoutSeconds, maxReceiveCount: trigger.maxReceiveCount };
  });
}

/**
 * A mapping's maximum concurrency. A sender that waits for its pace slots needs `paceSeconds` of the rate in
 * flight: with fewer, slots pass unclaimed between one batch's end and the next one's claims; with more, senders
 * only wait, and waiting is billed. Lambda's range is 2 to 1,000; `maxConcurrency` caps it.
 */
export function mappingConcurrency(trigger: QueueTrigger, sesRatePerSecond: number): number | undefined {
  if (trigger.paceSeconds === undefined) return trigger.maxConcurrency;
  const wanted = Math.ceil((sesRatePerSecond * trigger.paceSeconds) / trigger.batchSize);
  return Math.min(trigger.maxConcurrency ?? 1000, Math.max(2, wanted));
}
