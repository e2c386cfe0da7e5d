import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { noFaults, type StreamFaults } from '#infra/local/faults.ts';
import { QueuePoller, type QueueConsumer } from '#infra/local/queue-poller.ts';
import { LocalQueues, type QueueDeadLetter } from '#infra/local/queue-service.ts';
import { localQueueConsumers, localQueueDefinitions } from '#infra/local/queues.ts';
import { manifest, type FunctionSpec, type QueueTrigger } from '#infra/manifest.ts';
import { queueDeadLetterName, queueWiring } from '#infra/queue-wiring.ts';
import { queueNames } from '#shared/queues/queue-names.ts';
import { eventually } from '#test/support/local-process.ts';

/** A mail sender in the manifest's shape, with a short visibility timeout so failures come back within a test. */
function sender(trigger: Partial<QueueTrigger> = {}, spec: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name: 'SendConfirmationMail',
    entry: 'functions/http/get-health.ts',
    timeoutSeconds: 1,
    ...spec,
    triggers: [{ type: 'queue', queue: 'confirmation-mail', batchSize: 10, maxBatchingWindowSeconds: 0, visibilityTimeoutSeconds: 1, maxReceiveCount: 3, ...trigger }],
  };
}

type Handler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

const running: { poller: QueuePoller; queues: LocalQueues }[] = [];
const directories: string[] = [];

/** The local queues and poller for one manifest entry, wired as the runtime wires them. */
function start(spec: FunctionSpec, handler: Handler, options: { faults?: StreamFaults; file?: string; random?: () => number } = {}) {
  const letters: QueueDeadLetter[] = [];
  const manifest = [spec];
  const queues = new LocalQueues(localQueueDefinitions(manifest), { onDeadLetter: (letter) => letters.push(letter), ...(options.file ? { file: options.file } : {}) });
  const consumers: QueueConsumer[] = localQueueConsumers(manifest, new Map([[spec.name, (event: unknown) => handler(event as SQSEvent)]]), 10);
  const poller = new QueuePoller({ queues, consumers, faults: options.faults ?? noFaults, ...(options.random ? { random: options.random } : {}) });
  poller.start();
  const handle = { poller, queues };
  running.push(handle);
  const stop = async () => {
    running.splice(running.indexOf(handle), 1);
    await poller.stop();
    await queues.close();
  };
  return { queues, poller, letters, stop };
}

const send = (queues: LocalQueues, bodies: string[]) => queues.send('confirmation-mail', bodies.map((body) => ({ body })));
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

/** Waits for the poller to have nothing left to do: every message delivered and acknowledged or dead-lettered. */
const drained = (poller: QueuePoller, queues: LocalQueues) =>
  eventually(async () => (poller.idle && queues.counts('confirmation-mail').inFlight === 0 && queues.counts('confirmation-mail').delayed === 0 ? true : undefined));

// Visibility timeouts of a second make each retry take one; a loaded machine gets room to spare.
describe("the local queue poller, with Lambda's SQS mapping semantics", { timeout: 30_000 }, () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const { poller, queues } of running.splice(0)) {
      await poller.stop();
      await queues.close();
    }
  });

  afterAll(() => {
    for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every message once, in batches no larger than batchSize, gathered within the batching window', async () => {
    const batches: string[][] = [];
    const { queues, poller } = start(sender({ batchSize: 25, maxBatchingWindowSeconds: 1, visibilityTimeoutSeconds: 5 }), async (event) => {
      batches.push(event.Records.map((r) => r.body));
      return { batchItemFailures: [] };
    });
    send(queues, numbered(60));
    await drained(poller, queues);
    expect(batches.flat().sort()).toEqual(numbered(60).sort());
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(25);
    // More than SQS's 10 a receive: the window let the poller gather a larger batch.
    expect(Math.max(...batches.map((b) => b.length))).toBeGreaterThan(10);
    expect(queues.peek('confirmation-mail')).toEqual([]);
  });

  it('hands each message over as Lambda does: body, receive count, the queue ARN', async () => {
    const records: SQSRecord[] = [];
    const { queues, poller } = start(sender(), async (event) => {
      records.push(...event.Records);
      return undefined;
    });
    send(queues, ['{"kind":"confirmation"}']);
    await drained(poller, queues);
    expect(records).toEqual([
      expect.objectContaining({
        body: '{"kind":"confirmation"}',
        eventSource: 'aws:sqs',
        eventSourceARN: queues.arn('confirmation-mail'),
        attributes: expect.objectContaining({ ApproximateReceiveCount: '1' }) as unknown,
      }),
    ]);
  });

  it('deletes what a partial batch response does not name; the named messages come again after the visibility timeout', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const deliveries = new Map<string, string[]>();
    const { queues, poller } = start(sender(), async (event) => {
      for (const r of event.Records) deliveries.set(r.body, [...(deliveries.get(r.body) ?? []), r.attributes.ApproximateReceiveCount]);
      // m3 fails on its first delivery only.
      const failing = event.Records.filter((r) => r.body === 'm3' && r.attributes.ApproximateReceiveCount === '1');
      return { batchItemFailures: failing.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    send(queues, numbered(8));
    await eventually(async () => (deliveries.get('m3')?.length === 2 ? true : undefined));
    await drained(poller, queues);
    expect(deliveries.get('m3')).toEqual(['1', '2']);
    for (const body of numbered(8).filter((b) => b !== 'm3')) expect(deliveries.get(body)).toEqual(['1']);
    expect(queues.peek('confirmation-mail')).toEqual([]);
  });

  it('returns the whole batch when the handler throws, or names a message that is not in the batch', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let calls = 0;
    const counts: string[][] = [];
    const { queues, poller } = start(sender(), async (event) => {
      calls++;
      counts.push(event.Records.map((r) => `${r.body}:${r.attributes.ApproximateReceiveCount}`));
      if (calls === 1) throw new Error('SES throttled');
      if (calls === 2) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
      return { batchItemFailures: [] };
    });
    send(queues, ['a', 'b']);
    await eventually(async () => (calls >= 3 ? true : undefined));
    await drained(poller, queues);
    expect(counts.map((batch) => batch.sort())).toEqual([
      ['a:1', 'b:1'],
      ['a:2', 'b:2'],
      ['a:3', 'b:3'],
    ]);
  });

  it('moves a message that fails maxReceiveCount times to the dead-letter queue, lists it, and delivers it no more', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const poisonDeliveries: string[] = [];
    const { queues, poller, letters } = start(sender({ maxReceiveCount: 2 }), async (event) => {
      const poison = event.Records.filter((r) => r.body === 'poison');
      for (const r of poison) poisonDeliveries.push(r.attributes.ApproximateReceiveCount);
      return { batchItemFailures: poison.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    send(queues, ['fine', 'poison']);
    await eventually(async () => (letters.length > 0 ? true : undefined));
    await drained(poller, queues);
    expect(poisonDeliveries).toEqual(['1', '2']);
    expect(letters).toEqual([expect.objectContaining({ queue: 'confirmation-mail', deadLetterQueue: queueDeadLetterName, receiveCount: 2 })]);
    expect(queues.peek(queueDeadLetterName).map((m) => m.body)).toEqual(['poison']);
    expect(queues.peek('confirmation-mail')).toEqual([]);
  });

  /** How many batches ran at once while `messages` went through a handler that takes `ms` each. */
  async function widest(spec: FunctionSpec, messages: number, ms: number): Promise<number> {
    let active = 0;
    let most = 0;
    const { queues, poller } = start(spec, async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, ms));
      active--;
      return undefined;
    });
    send(queues, numbered(messages));
    await drained(poller, queues);
    return most;
  }

  it('never runs more batches at once than maxConcurrency allows', async () => {
    expect(await widest(sender({ batchSize: 1, maxConcurrency: 2 }), 12, 20)).toBe(2);
  });

  it('runs a paced sender as many batches wide as hold its seconds of the mail rate (10/s here)', async () => {
    expect(await widest(sender({ batchSize: 1, paceSeconds: 0.3, maxConcurrency: 20 }), 12, 20)).toBe(3);
  });

  it("never runs wider than the function's reserved concurrency", async () => {
    expect(await widest(sender({ batchSize: 1, maxConcurrency: 5 }, { reservedConcurrency: 1 }), 6, 10)).toBe(1);
  });

  it('delivers a batch twice under the duplicate fault, and retries batches that faults fail', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const seen: string[] = [];
    const { queues, poller } = start(
      sender(),
      async (event) => {
        seen.push(...event.Records.map((r) => r.body));
        return undefined;
      },
      { faults: { failBefore: 0, failAfter: 0, duplicate: 1 } },
    );
    send(queues, ['once']);
    await drained(poller, queues);
    expect(seen).toEqual(['once', 'once']);

    const ran: string[] = [];
    let draws = 0;
    const failing = start(
      sender({ queue: 'confirmation-mail' }, { name: 'Other' }),
      async (event) => {
        ran.push(...event.Records.map((r) => `${r.body}:${r.attributes.ApproximateReceiveCount}`));
        return undefined;
      },
      // The first draw fails the first delivery after the handler has run; every later draw passes.
      { faults: { failBefore: 0, failAfter: 0.5, duplicate: 0 }, random: () => (draws++ === 1 ? 0 : 0.9) },
    );
    send(failing.queues, ['x']);
    await eventually(async () => (ran.length === 2 ? true : undefined));
    await drained(failing.poller, failing.queues);
    expect(ran).toEqual(['x:1', 'x:2']);
  });

  it('loses nothing across a restart: messages waiting and the one in flight are delivered by the next process', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const dir = mkdtempSync(path.join(tmpdir(), 'tadamon-queue-poller-'));
    directories.push(dir);
    const file = path.join(dir, 'queues.jsonl');
    // A long visibility timeout: without the restart, the failed message would not come back within the test.
    const spec = sender({ visibilityTimeoutSeconds: 600 });
    const waiting = new LocalQueues(localQueueDefinitions([spec]), { file });
    waiting.send('confirmation-mail', [{ body: 'sent while no sender ran' }]);
    await waiting.close();

    const delivered: string[] = [];
    const second = start(
      spec,
      async (event) => {
        delivered.push(...event.Records.map((r) => `${r.body}:${r.attributes.ApproximateReceiveCount}`));
        return undefined;
      },
      { file },
    );
    await drained(second.poller, second.queues);
    expect(delivered).toEqual(['sent while no sender ran:1']);

    // The message in flight when the process stops comes again at once, not after its visibility timeout.
    const dir2 = mkdtempSync(path.join(tmpdir(), 'tadamon-queue-poller-'));
    directories.push(dir2);
    const file2 = path.join(dir2, 'queues.jsonl');
    const third = start(spec, async (event) => ({ batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) }), { file: file2 });
    send(third.queues, ['in flight']);
    await eventually(async () => (third.queues.counts('confirmation-mail').inFlight === 1 && third.poller.idle ? true : undefined));
    await third.stop();
    const again: string[] = [];
    const fourth = start(
      spec,
      async (event) => {
        again.push(...event.Records.map((r) => `${r.body}:${r.attributes.ApproximateReceiveCount}`));
        return undefined;
      },
      { file: file2 },
    );
    await drained(fourth.poller, fourth.queues);
    expect(again).toEqual(['in flight:2']);
  });

  it("keeps the manifest's queues with their triggers' settings, redriven to one dead-letter queue, and lets tests shorten the wait", () => {
    const definitions = localQueueDefinitions(manifest);
    expect(definitions.map((d) => d.name).sort()).toEqual([...queueNames, queueDeadLetterName].sort());
    for (const wiring of queueWiring(manifest)) {
      expect(definitions.find((d) => d.name === wiring.name)).toEqual({
        name: wiring.name,
        visibilityTimeoutSeconds: wiring.visibilityTimeoutSeconds,
        redrive: { deadLetterQueue: queueDeadLetterName, maxReceiveCount: wiring.maxReceiveCount },
      });
    }
    const shortened = localQueueDefinitions(manifest, { visibilityTimeoutSeconds: 1 });
    expect(shortened.filter((d) => d.redrive).map((d) => d.visibilityTimeoutSeconds)).toEqual(queueNames.map(() => 1));
  });
});
