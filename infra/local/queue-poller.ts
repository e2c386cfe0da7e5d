import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueTrigger } from '#infra/manifest.ts';
import { redact } from '#shared/log-redaction.ts';
import type { StreamFaults } from './faults.ts';
import type { Invoke } from './functions.ts';
import type { LocalQueues, ReceivedMessage } from './queue-service.ts';

export interface QueueConsumer {
  name: string;
  trigger: QueueTrigger;
  invoke: Invoke;
  /** The function's reserved concurrency, when it has one: the mapping never runs wider than the function may. */
  reservedConcurrency?: number;
}

interface Options {
  queues: LocalQueues;
  consumers: QueueConsumer[];
  faults: StreamFaults;
  random?: () => number;
}

/**
 * Without maxConcurrency Lambda scales a mapping to hundreds of concurrent batches; on one machine, a handful
 * already keeps the handlers as busy as DynamoDB Local can serve them.
 */
const localDefaultConcurrency = 5;

/** SQS returns at most 10 messages a receive; Lambda makes larger batches from several receives in its window. */
const receiveLimit = 10;

/**
 * Lambda's SQS event source mapping for one machine: per consumer, batches of up to `batchSize` gathered within
 * `maxBatchingWindowSeconds`, at most `maxConcurrency` batches at once. A batch that succeeds is deleted; a
 * partial batch response (`batchItemFailures`) deletes all but the failures; a thrown error (or a failure
 * naming a message not in the batch) deletes nothing. What is not deleted comes again after the queue's
 * visibility timeout, and the queue moves it to its dead-letter queue after `maxReceiveCount` receives.
 */
export class QueuePoller {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly invocations = new Set<Promise<void>>();
  private gathering = 0;
  private readonly random: () => number;

  constructor(private readonly options: Options) {
    this.random = options.random ?? Math.random;
  }

  start(): void {
    this.running = true;
    for (const consumer of this.options.consumers) this.loops.push(this.poll(consumer));
  }

  /** Stops receiving and lets every batch under way finish; what is in flight comes again after a restart. */
  async stop(): Promise<void> {
    this.running = false;
    this.options.queues.interrupt();
    await Promise.all(this.loops);
    while (this.invocations.size > 0) await Promise.all(this.invocations);
  }

  /** True when no batch is being gathered or delivered and no consumed queue has a visible message: tests wait on it. */
  get idle(): boolean {
    if (this.gathering > 0 || this.invocations.size > 0) return false;
    return this.options.consumers.every((consumer) => this.options.queues.counts(consumer.trigger.queue).visible === 0);
  }

  private concurrency(consumer: QueueConsumer): number {
    const limits = [consumer.trigger.maxConcurrency ?? localDefaultConcurrency, consumer.reservedConcurrency ?? Number.POSITIVE_INFINITY];
    return Math.max(1, Math.min(...limits));
  }

  private async poll(consumer: QueueConsumer): Promise<void> {
    const running = new Set<Promise<void>>();
    const limit = this.concurrency(consumer);
    while (this.running) {
      if (running.size >= limit) {
        await Promise.race(running);
        continue;
      }
      const batch = await this.gather(consumer);
      if (batch.length === 0) continue;
      const invocation = this.deliver(consumer, batch).finally(() => {
        running.delete(invocation);
        this.invocations.delete(invocation);
      });
      running.add(invocation);
      this.invocations.add(invocation);
    }
  }

  /** Receives until the batch is full or the window, opened by its first message, has closed. */
  private async gather(consumer: QueueConsumer): Promise<ReceivedMessage[]> {
    const { queues } = this.options;
    const { queue, batchSize, maxBatchingWindowSeconds } = consumer.trigger;
    const batch: ReceivedMessage[] = [];
    let closesAt = 0;
    try {
      while (this.running && batch.length < batchSize) {
        const received = queues.receive(queue, Math.min(receiveLimit, batchSize - batch.length));
        if (received.length > 0) {
          if (batch.length === 0) {
            closesAt = Date.now() + maxBatchingWindowSeconds * 1000;
            this.gathering++;
          }
          batch.push(...received);
          continue;
        }
        if (batch.length > 0 && Date.now() >= closesAt) break;
        // Long polling: woken by a send, or when a hidden message becomes visible again, or when the window closes.
        const now = Date.now();
        const nextVisible = queues.nextVisibleAt(queue) ?? Number.POSITIVE_INFINITY;
        const until = Math.min(batch.length > 0 ? closesAt : now + 1000, nextVisible);
        await queues.waitForMessages(queue, until - now);
      }
      return batch;
    } finally {
      if (batch.length > 0) this.gathering--;
    }
  }

  private async deliver(consumer: QueueConsumer, batch: ReceivedMessage[]): Promise<void> {
    const { queues, faults } = this.options;
    const event: SQSEvent = { Records: batch.map((message) => record(queues.arn(consumer.trigger.queue), message)) };
    // A handler may change the event it is given: a duplicate delivery gets a copy taken before the first.
    const duplicate = faults.duplicate > 0 ? structuredClone(event) : undefined;
    const outcome = await this.invoke(consumer, event);
    const failed = outcome.ok ? undefined : outcome.failed;
    // A batch that failed as a whole keeps every message; a partial failure keeps only those it names.
    const done = outcome.ok ? batch : failed ? batch.filter((message) => !failed.has(message.messageId)) : [];
    for (const message of done) queues.delete(consumer.trigger.queue, message.receiptHandle);
    if (!outcome.ok) {
      const kept = batch.length - done.length;
      console.error(`queue poller: ${consumer.name}: ${kept} of ${batch.length} message(s) failed (${outcome.error}); they come again after the visibility timeout`);
    }
    // SQS delivers at least once: the same messages may reach a consumer twice.
    if (duplicate && this.random() < faults.duplicate) await this.invoke(consumer, duplicate);
  }

  /** ok, or failed as a whole (`failed` unset) or for the messages a partial batch response names. */
  private async invoke(consumer: QueueConsumer, event: SQSEvent): Promise<{ ok: true } | { ok: false; failed?: Set<string>; error: string }> {
    const { faults } = this.options;
    if (this.random() < faults.failBefore) return { ok: false, error: 'injected fault before invocation' };
    let response: SQSBatchResponse | undefined | null;
    try {
      response = (await consumer.invoke(event)) as SQSBatchResponse | undefined | null;
    } catch (error) {
      return { ok: false, error: String(redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error))) };
    }
    if (this.random() < faults.failAfter) return { ok: false, error: 'injected fault after invocation' };
    const failures = response?.batchItemFailures ?? [];
    if (failures.length === 0) return { ok: true };
    const ids = new Set(event.Records.map((r) => r.messageId));
    // Like Lambda: an identifier that is empty or not in the batch fails the whole batch.
    if (failures.some((f) => !f.itemIdentifier || !ids.has(f.itemIdentifier))) return { ok: false, error: 'batchItemFailures named a message not in the batch' };
    return { ok: false, failed: new Set(failures.map((f) => f.itemIdentifier)), error: `${failures.length} reported as failed` };
  }
}

/** A message as Lambda's SQS mapping hands it to the function. */
function record(arn: string, message: ReceivedMessage): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: '000000000000',
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
    },
    messageAttributes: {},
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: process.env.AWS_REGION ?? 'us-east-1',
  };
}
