import { DescribeStreamCommand, type DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type Shard } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { StreamTrigger } from '#infra/manifest.ts';
import { redact } from '#shared/log-redaction.ts';
import { toLambdaRecord } from '#shared/streams/stream-records.ts';
import { matches } from './event-pattern.ts';
import type { StreamFaults } from './faults.ts';
import type { Invoke } from './functions.ts';
import type { JsonLines, StateFile } from './state-file.ts';

export interface StreamConsumer {
  name: string;
  trigger: StreamTrigger;
  invoke: Invoke;
}

/**
 * What Lambda's on-failure destination receives (where the batch was, never its contents), with each record's
 * sequence number, change and item key: ids only (keys are slugs, ids and HMACs; shared/store/table.ts), enough
 * to find the items again, never what they hold. The error has addresses masked.
 */
export interface DeadLetter {
  consumer: string;
  shardId: string;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  batchSize: number;
  records: DeadRecord[];
  attempts: number;
  error: string;
  at: string;
}

export interface DeadRecord {
  sequenceNumber: string;
  eventName: string;
  keys: Record<string, string>;
}

export type Checkpoints = Record<string, Record<string, string>>;

interface Options {
  client: DynamoDBStreamsClient;
  streamArn: string;
  consumers: StreamConsumer[];
  checkpoints: StateFile<Checkpoints>;
  deadLetters: JsonLines<DeadLetter>;
  faults: StreamFaults;
  pollIntervalMs?: number;
  random?: () => number;
}

/**
 * Reads the table's real stream the way Lambda's event source mapping does: per consumer and shard, in
 * order, batched (size and window), filtered by the manifest's criteria, honouring batchItemFailures,
 * bisecting on error, retrying a bounded number of times, then dead-lettering and moving on.
 * Positions are checkpointed, so a restart resumes after the last record each consumer finished.
 */
export class StreamPoller {
  private running = false;
  private readonly runners = new Map<string, Promise<void>>();
  private readonly finishedShards = new Set<string>();
  private discovery: Promise<void> | undefined;
  private readonly pollMs: number;
  private readonly random: () => number;
  private busy = 0;
  /** Per consumer and shard: the number of reads begun, and the last of them that found the shard drained. */
  private readonly readers = new Map<string, { begun: number; drained: number }>();

  constructor(private readonly options: Options) {
    this.pollMs = options.pollIntervalMs ?? 100;
    this.random = options.random ?? Math.random;
  }

  start(): void {
    this.running = true;
    this.discovery = this.discover();
  }

  /** Lets every batch under way finish (and checkpoint) before returning. */
  async stop(): Promise<void> {
    this.running = false;
    await this.discovery;
    await Promise.all(this.runners.values());
  }

  /** True when no batch is being delivered: tests and benchmarks wait on it. */
  get idle(): boolean {
    return this.busy === 0;
  }

  /**
   * Resolves once every shard reader has, in a read begun after this call, found nothing new with nothing
   * left to deliver: every record written before the call has been delivered (or dead-lettered) and
   * checkpointed. Tests wait on it rather than for "long enough". Readers that have not started yet are not waited for.
   */
  async caughtUp(): Promise<void> {
    const since = [...this.readers.values()].map((reader) => ({ reader, begun: reader.begun }));
    while (!since.every(({ reader, begun }) => reader.drained > begun)) await sleep(20, () => true);
  }

  private async discover(): Promise<void> {
    while (this.running) {
      try {
        const shards = await this.shards();
        const listed = new Set(shards.map((s) => s.ShardId));
        for (const shard of shards) {
          // A child shard waits for its parent, unless the parent has aged out of the stream.
          const parentDone = !shard.ParentShardId || this.finishedShards.has(shard.ParentShardId) || !listed.has(shard.ParentShardId);
          if (!parentDone) continue;
          for (const consumer of this.options.consumers) {
            const key = `${consumer.name}/${shard.ShardId}`;
            if (this.runners.has(key)) continue;
            // A reader that fails is started again from its checkpoint on the next round, as Lambda retries a
            // shard: one bad read must not stop the whole runtime (an unhandled rejection would).
            const runner = this.consume(consumer, shard.ShardId!).catch((error: unknown) => {
              if (this.running) console.error(`stream poller: ${key} failed, resuming from its checkpoint:`, (error as Error).message);
              // Whoever waits for this reader to catch up waits for the one that takes its place instead.
              const reader = this.readers.get(key);
              if (reader) reader.drained = Number.POSITIVE_INFINITY;
              this.runners.delete(key);
            });
            this.runners.set(key, runner);
          }
        }
      } catch (error) {
        if (this.running) console.error('stream poller: discovery failed:', (error as Error).message);
      }
      await sleep(1000, () => this.running);
    }
  }

  private shards(): Promise<Shard[]> {
    return listShards(this.options.client, this.options.streamArn);
  }

  private async consume(consumer: StreamConsumer, shardId: string): Promise<void> {
    const { client, streamArn, checkpoints } = this.options;
    const after = checkpoints.get()[consumer.name]?.[shardId];
    const iteratorAfter = async (sequence: string | undefined): Promise<string | undefined> => {
      const from = (type: 'AFTER_SEQUENCE_NUMBER' | 'TRIM_HORIZON') =>
        client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, ...(type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: sequence } : {}) }));
      if (!sequence) return (await from('TRIM_HORIZON')).ShardIterator;
      try {
        return (await from('AFTER_SEQUENCE_NUMBER')).ShardIterator;
      } catch (error) {
        // The checkpoint has aged out of the stream: what followed it is gone too, so start at the oldest record left.
        if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
        console.error(`stream poller: ${consumer.name}/${shardId}: its checkpoint is older than the stream's oldest record; reading from the oldest left`);
        return (await from('TRIM_HORIZON')).ShardIterator;
      }
    };
    let iterator = await iteratorAfter(after);
    // Like Lambda, filter first and batch what matches: records a consumer does not want never take room in
    // its batches (the counter's own marker writes would otherwise halve every counting batch).
    // Each record is converted once, here: the filters read its JSON form, the deliveries the record itself.
    const buffer: { sequence: string | undefined; record: DynamoDBRecord }[] = [];
    let bufferedSince = 0;
    let lastSeen: string | undefined;
    let checkpointed = after;
    const { batchSize, maxBatchingWindowSeconds } = consumer.trigger;
    const reader = { begun: 0, drained: 0 };
    this.readers.set(`${consumer.name}/${shardId}`, reader);
    while (this.running && (iterator || buffer.length > 0)) {
      if (iterator && buffer.length < batchSize) {
        const read = ++reader.begun;
        let result;
        try {
          result = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        } catch (error) {
          // An iterator lives 15 minutes, and one that points at trimmed records is void: read again from the
          // checkpoint. What was buffered and not delivered lies past the checkpoint and is read again with it.
          if (!['ExpiredIteratorException', 'TrimmedDataAccessException'].includes((error as Error).name)) throw error;
          buffer.length = 0;
          lastSeen = checkpointed;
          iterator = await iteratorAfter(checkpointed);
          continue;
        }
        if ((result.Records ?? []).length === 0 && buffer.length === 0) reader.drained = read;
        for (const raw of result.Records ?? []) {
          const sequence = raw.dynamodb?.SequenceNumber;
          lastSeen = sequence ?? lastSeen;
          const record = toLambdaRecord(raw);
          const json = toJson(record);
          if (!consumer.trigger.filters.some((filter) => matches(filter, json))) continue;
          if (buffer.length === 0) bufferedSince = Date.now();
          buffer.push({ sequence, record });
        }
        iterator = result.NextShardIterator;
      }
      const windowClosed = Date.now() - bufferedSince >= maxBatchingWindowSeconds * 1000;
      if (buffer.length >= batchSize || (buffer.length > 0 && (windowClosed || !iterator))) {
        const batch = buffer.splice(0, batchSize);
        this.busy++;
        try {
          await this.deliver(consumer, shardId, batch);
        } finally {
          this.busy--;
        }
        // Past the batch, and past every filtered-out record up to the next wanted one.
        checkpointed = buffer.length > 0 ? batch.at(-1)?.sequence : lastSeen;
        this.checkpoint(consumer, shardId, checkpointed);
        bufferedSince = Date.now();
        continue;
      }
      if (buffer.length === 0 && lastSeen !== checkpointed) {
        checkpointed = lastSeen;
        this.checkpoint(consumer, shardId, checkpointed);
      }
      await sleep(buffer.length > 0 ? 20 : this.pollMs, () => this.running);
    }
    if (!iterator) this.finishedShards.add(shardId);
    // A closed shard or a stopped poller has nothing more to deliver.
    reader.drained = Number.POSITIVE_INFINITY;
  }

  private async deliver(consumer: StreamConsumer, shardId: string, batch: { record: DynamoDBRecord }[]): Promise<void> {
    const records = batch.map((entry) => entry.record);
    // A handler may change the event it is given: the duplicate gets a copy taken before the first delivery.
    const duplicate = this.options.faults.duplicate > 0 ? records.map((record) => structuredClone(record)) : [];
    await this.process(consumer, shardId, records, 0);
    if (this.random() < this.options.faults.duplicate) await this.process(consumer, shardId, duplicate, 0);
  }

  private checkpoint(consumer: StreamConsumer, shardId: string, sequence: string | undefined): void {
    if (sequence) this.options.checkpoints.update((all) => ((all[consumer.name] ??= {})[shardId] = sequence));
  }

  private async process(consumer: StreamConsumer, shardId: string, records: DynamoDBRecord[], attempt: number): Promise<void> {
    const outcome = await this.invoke(consumer, records);
    if (outcome.ok) return;
    const { trigger } = consumer;
    const retry = outcome.from === undefined ? records : records.slice(outcome.from);
    if (attempt >= trigger.retryAttempts) {
      this.deadLetter(consumer, shardId, retry, attempt + 1, outcome.error);
      return;
    }
    await sleep(Math.min(2000, 25 * 2 ** attempt), () => true);
    if (outcome.from === undefined && trigger.bisectOnError && retry.length > 1) {
      const half = Math.ceil(retry.length / 2);
      await this.process(consumer, shardId, retry.slice(0, half), attempt + 1);
      await this.process(consumer, shardId, retry.slice(half), attempt + 1);
      return;
    }
    await this.process(consumer, shardId, retry, attempt + 1);
  }

  /** ok, or failed from a record index (partial batch response) or as a whole (thrown error). */
  private async invoke(consumer: StreamConsumer, records: DynamoDBRecord[]): Promise<{ ok: true } | { ok: false; from?: number; error: string }> {
    const { faults } = this.options;
    if (this.random() < faults.failBefore) return { ok: false, error: 'injected fault before invocation' };
    let response: DynamoDBBatchResponse | undefined;
    try {
      response = (await consumer.invoke({ Records: records })) as DynamoDBBatchResponse | undefined;
    } catch (error) {
      return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    if (this.random() < faults.failAfter) return { ok: false, error: 'injected fault after invocation' };
    const failures = response?.batchItemFailures ?? [];
    if (failures.length === 0) return { ok: true };
    const indexes = failures.map((f) => records.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier));
    // Like Lambda: an identifier that is not in the batch fails the whole batch.
    if (indexes.some((i) => i < 0)) return { ok: false, error: 'batchItemFailures named a record not in the batch' };
    return { ok: false, from: Math.min(...indexes), error: `${failures.length} records reported as failed` };
  }

  private deadLetter(consumer: StreamConsumer, shardId: string, records: DynamoDBRecord[], attempts: number, error: string): void {
    const letter: DeadLetter = {
      consumer: consumer.name,
      shardId,
      firstSequenceNumber: records[0]?.dynamodb?.SequenceNumber ?? '',
      lastSequenceNumber: records.at(-1)?.dynamodb?.SequenceNumber ?? '',
      batchSize: records.length,
      records: records.map(deadRecord),
      attempts,
      error: String(redact(error)),
      at: new Date().toISOString(),
    };
    this.options.deadLetters.append(letter);
    console.error(`stream poller: ${consumer.name} gave up on ${records.length} records after ${attempts} attempts (${letter.error}); dead-lettered`);
  }
}

/** A record as a dead letter names it: its key attributes' values, never its images. */
function deadRecord(record: DynamoDBRecord): DeadRecord {
  const keys = Object.entries(record.dynamodb?.Keys ?? {}).map(([name, value]) => [name, String(value.S ?? value.N ?? '')]);
  return { sequenceNumber: record.dynamodb?.SequenceNumber ?? '', eventName: record.eventName ?? '', keys: Object.fromEntries(keys) };
}

/** Every shard of the stream, following DescribeStream's pages. */
export async function listShards(client: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const result = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }));
    shards.push(...(result.StreamDescription?.Shards ?? []));
    start = result.StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return shards;
}

/** The shape filter criteria are written against: the record as JSON, images in DynamoDB JSON. */
function toJson(record: DynamoDBRecord): unknown {
  return JSON.parse(JSON.stringify(record)) as unknown;
}

function sleep(ms: number, stillRunning: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (!stillRunning()) return resolve();
    setTimeout(resolve, ms);
  });
}
