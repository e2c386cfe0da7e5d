import type { FunctionSpec } from '#infra/manifest.ts';
import { mappingConcurrency, queueDeadLetterName, queueWiring } from '#infra/queue-wiring.ts';
import { deadLetterUrlVariable } from '#shared/queues/dead-letters.ts';
import { queueUrlVariable } from '#shared/queues/queue-names.ts';
import type { Invoke } from './functions.ts';
import type { QueueConsumer } from './queue-poller.ts';
import type { LocalQueueDefinition, LocalQueues } from './queue-service.ts';

/**
 * The manifest's queues as the local service keeps them: each with its consumer's settings and the shared
 * dead-letter queue. `visibilityTimeoutSeconds` replaces every queue's, for tests and scaled benchmarks that
 * cannot wait minutes for a failed message to come again.
 */
export function localQueueDefinitions(manifest: readonly FunctionSpec[], overrides: { visibilityTimeoutSeconds?: number } = {}): LocalQueueDefinition[] {
  return [
    ...queueWiring(manifest).map(({ name, visibilityTimeoutSeconds, maxReceiveCount }) => ({
      name,
      visibilityTimeoutSeconds: overrides.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds,
      redrive: { deadLetterQueue: queueDeadLetterName, maxReceiveCount },
    })),
    { name: queueDeadLetterName, visibilityTimeoutSeconds: 30 },
  ];
}

/** One consumer per queue trigger, invoked the way every other trigger invokes its function. */
export function localQueueConsumers(manifest: readonly FunctionSpec[], invokers: ReadonlyMap<string, Invoke>, sesRatePerSecond: number): QueueConsumer[] {
  return queueWiring(manifest).flatMap(({ consumer }) => {
    if (!consumer) return [];
    const { spec } = consumer;
    const maxConcurrency = mappingConcurrency(consumer.trigger, sesRatePerSecond);
    const trigger = maxConcurrency === undefined ? consumer.trigger : { ...consumer.trigger, maxConcurrency };
    return [{ name: spec.name, trigger, invoke: invokers.get(spec.name)!, ...(spec.reservedConcurrency ? { reservedConcurrency: spec.reservedConcurrency } : {}) }];
  });
}

/** What the handlers read to reach the queues: the SDK's endpoint variable and each queue's URL. */
export function queueEnvironment(queues: LocalQueues, manifest: readonly FunctionSpec[]): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SQS: queues.endpoint,
    ...Object.fromEntries(queueWiring(manifest).map(({ name }) => [queueUrlVariable(name), queues.url(name)])),
    // The only dead-letter queue of the local queues; stream and event failures are kept in the data folder's journals.
    [deadLetterUrlVariable('mail')]: queues.url(queueDeadLetterName),
  };
}
