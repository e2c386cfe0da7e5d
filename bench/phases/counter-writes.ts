import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { confirmSignature } from '#shared/store/signature-store.ts';
import { keys, signaturePrefix } from '#shared/store/layout.ts';
import { cpuWindow, type CpuShare } from '../cpu.ts';
import type { BenchDynamo, SignatureRecords } from '../dynamo.ts';
import type { BenchSettings } from '../settings.ts';
import { writeQuietPending } from '../seed.ts';
import { drain, type Api, type BenchStack } from '../stack.ts';
import { mapPool, round } from '../stats.ts';

export interface CounterWritesReport {
  /** Writes per signature to every item counting keeps: the counter (with the day's hours and the sources) and the day items. */
  aggregated: number;
  /** Writes per signature to the counter item alone. */
  counterOnly: number;
  naive: number;
  signatures: number;
  concurrency: number;
  aggregatedPath: {
    counterWrites: number;
    countChanges: number;
    milestoneClaims: number;
    /** Writes to the day items, inserts included (a day item is written when a day ends, and for late confirmations of earlier days). */
    dayItemWrites: number;
    signaturesPerCounterWrite: number;
    confirmWritesMs: number;
    confirmToFullCountMs: number;
    finalCount: number;
    countReached: boolean;
    confirmedOutcomes: Record<string, number>;
    cpu: CpuShare | undefined;
  };
  naivePath: {
    counterWrites: number;
    elapsedMs: number;
    writesPerSecond: number;
    finalValue: number;
    cpu: CpuShare | undefined;
  };
  seed: { pendingMs: number };
  stream: { recordsRead: number; shards: number; readMs: number; burstSignatureRecords: SignatureRecords };
  note: string;
}

const naiveKey = keys.benchCounter('naive-counter');

const burstSources = ['newsletter', 'twitter', 'partner-site', 'whatsapp', 'email'];
const burstSource = (i: number) => ({ utm_source: burstSources[i % burstSources.length]!, referrer: `site-${i % 7}.example.org` });

/**
 * A confirmation burst against one campaign: how many writes its counter item takes (read back from the
 * table's stream), beside a naive one-UpdateItem-per-signature counter on the same DynamoDB Local.
 */
export async function counterWrites(stack: BenchStack, api: Api, dynamo: BenchDynamo, settings: BenchSettings['burst']): Promise<CounterWritesReport> {
  const slug = 'bench-burst';
  const n = settings.signatures;
  await api.openCampaign(slug, 'Benchmark: confirmation burst');
  const seedStarted = performance.now();
  // Every signer came through one of a few tracked links, so each batch also adds to the source counts.
  const { signatures: pending } = await writeQuietPending(dynamo, slug, n, `burst-${Date.now().toString(36)}`, { source: burstSource });
  const pendingMs = Math.round(performance.now() - seedStarted);
  console.log(`    ${n} pending signatures written in ${pendingMs} ms`);
  // Only what the burst writes is read back from the stream.
  const mark = await dynamo.markStream();

  const outcomes: Record<string, number> = {};
  const burstCpu = cpuWindow();
  const firstDay = new Date().toISOString().slice(0, 10);
  const started = performance.now();
  await mapPool(pending, settings.concurrency, async ({ key }) => {
    const outcome = await confirmSignature(key);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  });
  const confirmWritesMs = Math.round(performance.now() - started);
  const counted = await api.waitForCount(slug, n, 120_000, 50);
  const confirmToFullCountMs = Math.round(performance.now() - started);
  const burstShare = burstCpu();
  console.log(`    ${n} confirmations written in ${confirmWritesMs} ms; count reached ${counted.signatures} after ${confirmToFullCountMs} ms`);
  // Milestone claims (RouteChanges) follow the counter writes; let them land before reading the stream.
  await drain(stack);

  await dynamo.doc.send(new PutCommand({ TableName: dynamo.tableName, Item: { ...naiveKey, type: 'bench-counter', signatures: 0 } }));
  const naiveCpu = cpuWindow();
  const naiveStarted = performance.now();
  await mapPool(Array.from({ length: n }), settings.concurrency, () =>
    dynamo.doc.send(
      new UpdateCommand({ TableName: dynamo.tableName, Key: naiveKey, UpdateExpression: 'ADD signatures :one', ExpressionAttributeValues: { ':one': 1 } }),
    ),
  );
  const naiveMs = Math.round(performance.now() - naiveStarted);
  const naiveShare = naiveCpu();
  const naiveValue = await dynamo.doc.send(new GetCommand({ TableName: dynamo.tableName, Key: naiveKey, ConsistentRead: true }));
  await drain(stack, { quietMs: 1000 });

  // The burst's days (one, or two across midnight): a day item is created (one INSERT, besides any MODIFY
  // records) only when the counter's day ends during the burst.
  const days = [...new Set([firstDay, new Date().toISOString().slice(0, 10)])];
  const dayKeys = days.map((day) => keys.statsDay(slug, day));
  const writes = await dynamo.writesToItems([keys.counter(slug), naiveKey, ...dayKeys], { signaturePrefix: signaturePrefix(slug), mark });
  const [aggregated, naive, ...dayItems] = writes.perItem as [(typeof writes.perItem)[0], (typeof writes.perItem)[0], ...(typeof writes.perItem)];
  const created = await Promise.all(dayKeys.map(async (key) => ((await dynamo.doc.send(new GetCommand({ TableName: dynamo.tableName, Key: key }))).Item ? 1 : 0)));
  const dayItemWrites = dayItems.reduce((sum, item, i) => sum + item.modifies + created[i]!, 0);
  const allWrites = aggregated.modifies + dayItemWrites;
  const naiveWrites = naive.modifies;
  console.log(
    `    counting writes: ${allWrites} = counter ${aggregated.modifies} (${aggregated.countChanges} counting, ${aggregated.other} milestone claims) + day items ${dayItemWrites}; naive ${naiveWrites} in ${naiveMs} ms`,
  );
  return {
    aggregated: round(allWrites / n, 4),
    counterOnly: round(aggregated.modifies / n, 4),
    naive: round(naiveWrites / n, 4),
    signatures: n,
    concurrency: settings.concurrency,
    aggregatedPath: {
      counterWrites: aggregated.modifies,
      countChanges: aggregated.countChanges,
      milestoneClaims: aggregated.other,
      dayItemWrites,
      signaturesPerCounterWrite: round(n / Math.max(1, aggregated.countChanges), 1),
      confirmWritesMs,
      confirmToFullCountMs,
      finalCount: counted.signatures,
      countReached: counted.reached,
      confirmedOutcomes: outcomes,
      cpu: burstShare,
    },
    naivePath: {
      counterWrites: naiveWrites,
      elapsedMs: naiveMs,
      writesPerSecond: round((naiveWrites / naiveMs) * 1000),
      finalValue: Number(naiveValue.Item?.signatures ?? 0),
      cpu: naiveShare,
    },
    seed: { pendingMs },
    stream: { recordsRead: writes.streamRecordsRead, shards: writes.shards, readMs: writes.readMs, burstSignatureRecords: writes.signatureRecords },
    note:
      'Counter writes are the MODIFY records of the counter item in the table stream (which also carries the hours of its newest day and the source counts), plus the writes of the burst\'s day items (MODIFY records, and the INSERT that created each), which the same counting transactions write; every burst signature carries a source. ' +
      'The aggregated figure includes milestone claims; counterOnly is the counter item alone. ' +
      'Pending signatures (with their first link already mailed, so the mailer sends nothing) were written with BatchWriteItem first; the burst starts right away, so the mailer\'s pass over them (it finds each link mailed: a refused PutItem and a GetItem each) overlaps it. ' +
      'The stream is read from a mark taken just before the burst. ' +
      `Confirmations are direct confirmSignature calls, ${settings.concurrency} at a time. The naive baseline is one UpdateItem ADD per signature on a separate item of the same table, ${settings.concurrency} at a time. ` +
      'DynamoDB Local has no per-partition limit; on AWS one item takes at most ~1,000 writes/s, so the naive counter would throttle there.',
  };
}
