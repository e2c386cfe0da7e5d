import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as countConfirmations } from '#functions/streams/count-confirmations.ts';
import { localClient, streamArn } from '#infra/local/dynamodb-local.ts';
import { noFaults, type StreamFaults } from '#infra/local/faults.ts';
import { JsonLines, StateFile } from '#infra/local/state-file.ts';
import { StreamPoller, type Checkpoints, type DeadLetter, type StreamConsumer } from '#infra/local/stream-poller.ts';
import { manifest, type StreamTrigger } from '#infra/manifest.ts';
import { campaignInputSchema, type Campaign, type Counts } from '#shared/domain/campaign.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { useLocalBus } from '#test/support/local-bus.ts';
import { useTestTable } from '#test/support/test-table.ts';

let streams: DynamoDBStreamsClient;
let arn: string;
const running: StreamPoller[] = [];

/** mulberry32: a small seeded generator, so fault injection is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function startPoller(consumers: StreamConsumer[], faults: StreamFaults, random: () => number = Math.random) {
  const deadLetters = new JsonLines<DeadLetter>(undefined);
  const checkpoints = new StateFile<Checkpoints>(undefined, {});
  const poller = new StreamPoller({ client: streams, streamArn: arn, consumers, checkpoints, deadLetters, faults, random, pollIntervalMs: 50 });
  poller.start();
  running.push(poller);
  return { poller, deadLetters, checkpoints };
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs tasks a few at a time: DynamoDB Local is faster with some concurrency, and so is the test. */
async function inParallel<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

let bus: Awaited<ReturnType<typeof useLocalBus>> | undefined;

describe('the stream poller, reading the real DynamoDB Local stream', () => {
  beforeAll(async () => {
    const { tableName: table, endpoint } = await useTestTable('stream-poller');
    // CountConfirmations announces what it counted (SignatureConfirmed) on the bus.
    bus = await useLocalBus();
    arn = await streamArn(localClient(endpoint), table);
    streams = new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });

  afterAll(async () => {
    await bus?.close();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((poller) => poller.stop()));
    vi.restoreAllMocks();
  });

  it('counts every confirmed signature exactly once, through failures, retries and duplicate deliveries', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // The manifest's own trigger: its filters, batch size, window, retries and bisection.
    const trigger = manifest.find((spec) => spec.name === 'CountConfirmations')!.triggers.find((t): t is StreamTrigger => t.type === 'stream')!;
    const deliveries: string[] = [];
    const invoke = (event: unknown) => {
      for (const record of (event as DynamoDBStreamEvent).Records) deliveries.push(record.dynamodb?.SequenceNumber ?? '');
      return countConfirmations(event as DynamoDBStreamEvent);
    };
    const { poller, deadLetters } = startPoller(
      [{ name: 'CountConfirmations', trigger, invoke }],
      { failBefore: 0.2, failAfter: 0.2, duplicate: 0.3 },
      seeded(20_251_007),
    );

    const campaigns: Campaign[] = [];
    for (const title of ['Free Nasser Zefzafi', 'Release all Moroccan political prisoners', 'Freedom for all political prisoners']) {
      campaigns.push(await createCampaign(campaignInputSchema.parse({ kind: 'petition', title }), { status: 'open' }));
    }
    const countries = ['MA', 'TR', 'PS', 'SV', 'FR'];
    const pick = seeded(42);
    const signers = Array.from({ length: 250 }, (_, i) => ({
      campaign: campaigns[Math.floor(pick() * campaigns.length)]!.slug,
      email: `signer.${i}@example.org`,
      country: countries[Math.floor(pick() * countries.length)]!,
      // Most confirm; some never do; some ask for another link first; some click their link twice.
      confirms: pick() < 0.85,
      asksAgain: pick() < 0.15,
      clicksTwice: pick() < 0.15,
    }));

    const expected = new Map<string, { signatures: number; byCountry: Record<string, number> }>(campaigns.map((c) => [c.slug, { signatures: 0, byCountry: {} }]));
    await inParallel(signers, 16, async (s) => {
      const input = { name: `Signer ${s.email}`, email: s.email, country: s.country, public: false, subscribe: false };
      expect(await recordSignature(s.campaign, input)).toBe('recorded');
      if (s.asksAgain) expect(await recordSignature(s.campaign, input)).toBe('link-requested');
      if (!s.confirms) return;
      const key = keys.signature(s.campaign, emailKey(s.email));
      expect(await confirmSignature(key)).toBe('confirmed');
      if (s.clicksTwice) expect(await confirmSignature(key)).toBe('already-confirmed');
      const tally = expected.get(s.campaign)!;
      tally.signatures++;
      tally.byCountry[s.country] = (tally.byCountry[s.country] ?? 0) + 1;
    });

    const confirmedTotal = [...expected.values()].reduce((sum, t) => sum + t.signatures, 0);
    expect(confirmedTotal).toBeGreaterThan(180);

    const counted = async () => new Map<string, Counts>(await Promise.all(campaigns.map(async (c) => [c.slug, await getCounts(c.slug, undefined)] as const)));
    await waitFor('the counters to reach the confirmed signatures', async () => {
      const counts = await counted();
      return campaigns.every((c) => counts.get(c.slug)!.signatures >= expected.get(c.slug)!.signatures);
    }, 60_000);
    // Every record written so far, retries and duplicates included, has been delivered: nothing more will count.
    await poller.caughtUp();

    const counts = await counted();
    for (const campaign of campaigns) {
      const want = expected.get(campaign.slug)!;
      const got = counts.get(campaign.slug)!;
      expect(got.signatures, campaign.slug).toBe(want.signatures);
      expect(got.total).toBe(want.signatures);
      expect(got.byCountry, campaign.slug).toEqual(want.byCountry);
      expect(Object.values(got.byCountry).reduce((a, b) => a + b, 0)).toBe(got.signatures);
    }
    expect(deadLetters.list()).toEqual([]);
    // The faults really happened: records reached the handler more than once, and the count held.
    expect(new Set(deliveries).size).toBe(confirmedTotal);
    expect(deliveries.length).toBeGreaterThan(confirmedTotal);

    // Every confirmed signature carries its counted marker; no pending one does.
    const items = await db().send(
      new ScanCommand({ TableName: tableName(), FilterExpression: '#type = :signature', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':signature': 'signature' } }),
    );
    const signatures = items.Items ?? [];
    expect(signatures).toHaveLength(signers.length);
    for (const signature of signatures) expect(signature.countedAt !== undefined, String(signature.email)).toBe(signature.status === 'confirmed');
    // About 10 s on an idle 2-core machine; the margin is for a busy one.
  }, 90_000);

  describe('a record that never succeeds', () => {
    const probeTrigger = (run: string, overrides: Partial<StreamTrigger> = {}): StreamTrigger => ({
      type: 'stream',
      filters: [{ dynamodb: { NewImage: { run: { S: [run] } } } }],
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      retryAttempts: 2,
      bisectOnError: true,
      parallelizationFactor: 1,
      maxRecordAgeSeconds: 60,
      ...overrides,
    });
    const probe = (run: string, n: number) => db().send(new PutCommand({ TableName: tableName(), Item: { pk: `PROBE#${run}#${n}`, sk: 'PROBE', type: 'probe', run, n } }));
    const numberOf = (record: DynamoDBRecord) => Number(record.dynamodb?.NewImage?.n?.N);

    it('ends in a dead letter after retryAttempts, and the poller moves on to later records', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const run = 'always-throws';
      const invocations: number[][] = [];
      const { deadLetters, checkpoints } = startPoller(
        [
          {
            name: 'Poisoned',
            trigger: probeTrigger(run),
            invoke: async (event) => {
              invocations.push((event as DynamoDBStreamEvent).Records.map(numberOf));
              throw new Error('cannot process this record');
            },
          },
        ],
        noFaults,
      );

      await probe(run, 1);
      await waitFor('the first dead letter', () => deadLetters.list().length === 1);
      const [first] = deadLetters.list();
      expect(first).toMatchObject({ consumer: 'Poisoned', batchSize: 1, attempts: 3, error: expect.stringContaining('cannot process this record') as unknown });
      expect(first!.firstSequenceNumber).toBe(first!.lastSequenceNumber);
      expect(invocations).toEqual([[1], [1], [1]]);
      // Past the dead-lettered record: a restart would not deliver it again.
      await waitFor('the checkpoint to pass the record', () => Object.values(checkpoints.get().Poisoned ?? {}).some((seq) => BigInt(seq) >= BigInt(first!.lastSequenceNumber)));

      await probe(run, 2);
      await waitFor('the second dead letter', () => deadLetters.list().length === 2);
      expect(invocations.slice(3)).toEqual([[2], [2], [2]]);
      expect(BigInt(deadLetters.list()[1]!.firstSequenceNumber)).toBeGreaterThan(BigInt(first!.lastSequenceNumber));
    });

    it('is isolated by bisection: the records around it are delivered and only it is dead-lettered', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const run = 'one-poison-record';
      const succeeded = new Set<number>();
      let poisonSequence: string | undefined;
      const { deadLetters } = startPoller(
        [
          {
            name: 'Picky',
            trigger: probeTrigger(run, { batchSize: 100, maxBatchingWindowSeconds: 1, retryAttempts: 4 }),
            invoke: async (event) => {
              const records = (event as DynamoDBStreamEvent).Records;
              const poison = records.find((r) => numberOf(r) === 3);
              if (poison) {
                poisonSequence = poison.dynamodb?.SequenceNumber;
                throw new Error('record 3 is poison');
              }
              for (const record of records) succeeded.add(numberOf(record));
              return { batchItemFailures: [] };
            },
          },
        ],
        noFaults,
      );

      for (let n = 1; n <= 6; n++) await probe(run, n);
      await waitFor('the poison record to be dead-lettered', () => deadLetters.list().length > 0);
      await waitFor('the other records to be delivered', () => succeeded.size === 5);
      expect([...succeeded].sort()).toEqual([1, 2, 4, 5, 6]);
      expect(deadLetters.list()).toHaveLength(1);
      expect(deadLetters.list()[0]).toMatchObject({ consumer: 'Picky', batchSize: 1, firstSequenceNumber: poisonSequence, lastSequenceNumber: poisonSequence });

      await probe(run, 7);
      await waitFor('a later record to be delivered', () => succeeded.has(7));
    });
  });
  describe('reads that fail', () => {
    it('reads again from its checkpoint after an expired iterator or a failed read, and delivers every record', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const run = 'reads-fail';
      // The stream client fails the 2nd read with an expired iterator and the 4th with a dropped connection.
      const send = streams.send.bind(streams);
      let reads = 0;
      const failing = Object.assign(Object.create(streams) as DynamoDBStreamsClient, {
        send: (command: Parameters<typeof send>[0]) => {
          if (command.constructor.name === 'GetRecordsCommand') {
            reads++;
            if (reads === 2) return Promise.reject(Object.assign(new Error('Iterator expired'), { name: 'ExpiredIteratorException' }));
            if (reads === 4) return Promise.reject(Object.assign(new Error('socket hang up'), { name: 'Error' }));
          }
          return send(command);
        },
      });
      const delivered: number[] = [];
      const poller = new StreamPoller({
        client: failing,
        streamArn: arn,
        consumers: [
          {
            name: 'Reader',
            trigger: {
              type: 'stream',
              filters: [{ dynamodb: { NewImage: { run: { S: [run] } } } }],
              batchSize: 10,
              maxBatchingWindowSeconds: 0,
              retryAttempts: 2,
              bisectOnError: false,
              parallelizationFactor: 1,
              maxRecordAgeSeconds: 60,
            },
            invoke: (event) => {
              for (const record of (event as DynamoDBStreamEvent).Records) delivered.push(Number(record.dynamodb?.NewImage?.n?.N));
              return Promise.resolve({ batchItemFailures: [] });
            },
          },
        ],
        checkpoints: new StateFile<Checkpoints>(undefined, {}),
        deadLetters: new JsonLines<DeadLetter>(undefined),
        faults: noFaults,
        pollIntervalMs: 50,
      });
      poller.start();
      running.push(poller);
      for (let n = 1; n <= 5; n++) await db().send(new PutCommand({ TableName: tableName(), Item: { pk: `PROBE#${run}#${n}`, sk: 'PROBE', type: 'probe', run, n } }));
      await waitFor('both failed reads to have happened', () => reads > 4);
      await waitFor('every record to be delivered', () => new Set(delivered).size === 5);
      expect([...new Set(delivered)].sort()).toEqual([1, 2, 3, 4, 5]);
      // Still reading after both failures: a later record arrives too.
      await db().send(new PutCommand({ TableName: tableName(), Item: { pk: `PROBE#${run}#6`, sk: 'PROBE', type: 'probe', run, n: 6 } }));
      await waitFor('a later record to be delivered', () => delivered.includes(6));
    });
  });
});
