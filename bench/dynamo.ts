import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient, type Shard } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localClient, localStreamsClient, streamArn } from '#infra/local/dynamodb-local.ts';
import { listShards } from '#infra/local/stream-poller.ts';

/** The bench's own clients for DynamoDB Local (the endpoint the stack put in the environment). */
export class BenchDynamo {
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly streams: DynamoDBStreamsClient;

  constructor(
    readonly endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB!,
    readonly tableName = process.env.TABLE_NAME ?? 'tadamon',
  ) {
    this.client = localClient(endpoint);
    this.doc = DynamoDBDocumentClient.from(this.client, { marshallOptions: { removeUndefinedValues: true } });
    this.streams = localStreamsClient(endpoint);
  }

  destroy(): void {
    this.client.destroy();
    this.streams.destroy();
  }

  /** Counts a campaign's signature items by status (and how many carry the counted marker), scanning the table. */
  async signatureItems(campaign: string): Promise<{ total: number; pending: number; confirmed: number; counted: number }> {
    const tally = { total: 0, pending: 0, confirmed: 0, counted: 0 };
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#type = :signature AND campaign = :campaign',
          ProjectionExpression: '#status, countedAt',
          ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
          ExpressionAttributeValues: { ':signature': 'signature', ':campaign': campaign },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        tally.total++;
        if (item.status === 'pending') tally.pending++;
        if (item.status === 'confirmed') tally.confirmed++;
        if (item.countedAt) tally.counted++;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return tally;
  }

  private async describeShards(): Promise<{ arn: string; shards: Shard[] }> {
    const arn = await streamArn(this.client, this.tableName);
    return { arn, shards: await listShards(this.streams, arn) };
  }

  /** The stream's current end, per shard (LATEST iterators): a later read starts here instead of at the beginning. */
  async markStream(): Promise<StreamMark> {
    const { arn, shards } = await this.describeShards();
    const iterators = new Map<string, string>();
    for (const shard of shards) {
      if (shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      const iterator = (await this.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: 'LATEST' }))).ShardIterator;
      if (iterator) iterators.set(shard.ShardId!, iterator);
    }
    return { arn, iterators, known: new Set(shards.map((s) => s.ShardId!)) };
  }

  /**
   * Reads the table's stream (from `mark` if given: open shards from where they were then, shards created
   * since from their beginning; else everything) and counts the MODIFY records of the given items: each is one write.
   * Also tells how many of them changed the signature count (aggregation) and how many did something else
   * (milestone claims by RouteChanges).
   */
  async writesToItems(
    items: { pk: string; sk: string }[],
    options: { signaturePrefix?: string; mark?: StreamMark } = {},
  ): Promise<{ perItem: ItemWrites[]; signatureRecords: SignatureRecords; streamRecordsRead: number; shards: number; readMs: number }> {
    const started = performance.now();
    const { signaturePrefix, mark } = options;
    const { arn, shards: all } = await this.describeShards();
    // Closed shards known at the mark hold nothing newer than it.
    const shards = mark ? all.filter((s) => mark.iterators.has(s.ShardId!) || !mark.known.has(s.ShardId!)) : all;
    const perItem: ItemWrites[] = items.map((key) => ({ key, modifies: 0, countChanges: 0, other: 0 }));
    const byKey = new Map(perItem.map((entry) => [`${entry.key.pk}\u0000${entry.key.sk}`, entry]));
    let streamRecordsRead = 0;
    const signatureRecords: SignatureRecords = { inserts: 0, confirmations: 0, markers: 0, other: 0 };
    for (const shard of shards) {
      let iterator =
        mark?.iterators.get(shard.ShardId!) ??
        (await this.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      let emptyReads = 0;
      // An open shard never ends: stop after it answers empty twice in a row (caught up).
      while (iterator && emptyReads < 2) {
        const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const records = page.Records ?? [];
        emptyReads = records.length === 0 ? emptyReads + 1 : 0;
        streamRecordsRead += records.length;
        for (const record of records) {
          const keys = record.dynamodb?.Keys;
          if (signaturePrefix && keys?.pk?.S?.startsWith(signaturePrefix)) {
            const before = record.dynamodb?.OldImage;
            const after = record.dynamodb?.NewImage;
            if (record.eventName === 'INSERT') signatureRecords.inserts++;
            else if (before?.status?.S === 'pending' && after?.status?.S === 'confirmed') signatureRecords.confirmations++;
            else if (!before?.countedAt && after?.countedAt) signatureRecords.markers++;
            else signatureRecords.other++;
          }
          if (record.eventName !== 'MODIFY') continue;
          const entry = byKey.get(`${keys?.pk?.S}\u0000${keys?.sk?.S}`);
          if (!entry) continue;
          entry.modifies++;
          const before = record.dynamodb?.OldImage?.signatures?.N;
          const after = record.dynamodb?.NewImage?.signatures?.N;
          if (before !== after) entry.countChanges++;
          else entry.other++;
        }
        iterator = page.NextShardIterator;
      }
    }
    return { perItem, signatureRecords, streamRecordsRead, shards: shards.length, readMs: Math.round(performance.now() - started) };
  }
}

export interface StreamMark {
  arn: string;
  /** Open shards at the mark, each with an iterator at its end then. */
  iterators: Map<string, string>;
  known: Set<string>;
}

/** Stream records of signature items, by what changed. */
export interface SignatureRecords {
  inserts: number;
  /** pending → confirmed: what CountConfirmations is given. */
  confirmations: number;
  /** The countedAt marker set by the counting transaction. */
  markers: number;
  other: number;
}

export interface ItemWrites {
  key: { pk: string; sk: string };
  /** MODIFY records of the item: each is one write to it. */
  modifies: number;
  /** Writes that changed `signatures`. */
  countChanges: number;
  /** Writes that left `signatures` as it was (milestone claims). */
  other: number;
}
