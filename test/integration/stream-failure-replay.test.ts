import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as countConfirmations } from '#functions/streams/count-confirmations.ts';
import { localClient, streamArn } from '#infra/local/dynamodb-local.ts';
import { LocalQueues } from '#infra/local/queue-service.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { replayStreamFailures } from '#shared/queues/dead-letter-client.ts';
import { deadLetterUrlVariable, replayFunctionsVariable } from '#shared/queues/dead-letters.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { keys } from '#shared/store/table.ts';
import { readStreamBatch } from '#shared/streams/stream-batch.ts';
import { useLocalBus } from '#test/support/local-bus.ts';
import { useTestTable } from '#test/support/test-table.ts';

/**
 * A stream consumer's dead letter replayed as on AWS: the failure record names a batch of the table's stream (DynamoDB
 * Local's real stream here), the batch is read again and CountConfirmations invoked with it; the count comes right,
 * and a second replay of the same batch changes nothing.
 */

const queue = 'stream-failures';
let queues: LocalQueues;
let streams: DynamoDBStreamsClient;
let arn: string;

/** Lambda's on-failure record for a stream batch, as the mapping sends it to its destination. */
function failureRecord(functionName: string, batch: { shardId: string; startSequenceNumber: string; endSequenceNumber: string }): string {
  return JSON.stringify({
    requestContext: { requestId: 'r-1', functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2036-03-01T10:00:00.000Z',
    DDBStreamBatchInfo: { ...batch, streamArn: arn, batchSize: 10, approximateArrivalOfFirstRecord: '2036-03-01T09:59:00Z', approximateArrivalOfLastRecord: '2036-03-01T09:59:01Z' },
  });
}

/** Every record the stream holds, shard by shard, with its sequence number and whether it confirms a signature of `slug`. */
async function streamRecords(slug: string): Promise<{ shardId: string; sequence: string; confirms: boolean }[]> {
  const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards ?? [];
  const found: { shardId: string; sequence: string; confirms: boolean }[] = [];
  for (const shard of shards) {
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    for (let read = 0; iterator && read < 10; read++) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      if (!page.Records?.length) break;
      for (const record of page.Records) {
        const image = record.dynamodb?.NewImage;
        found.push({ shardId: shard.ShardId!, sequence: record.dynamodb!.SequenceNumber!, confirms: image?.campaign?.S === slug && image.status?.S === 'confirmed' });
      }
      iterator = page.NextShardIterator;
    }
  }
  return found;
}

const replay = (invoke: (name: string, payload: unknown) => Promise<unknown>) =>
  replayStreamFailures({ budgetMs: 20_000, invoke, read: (batch) => readStreamBatch(batch, streams) });

const count = (name: string, payload: unknown) => {
  expect(name).toBe('CountConfirmations');
  return countConfirmations(payload as DynamoDBStreamEvent);
};

let bus: Awaited<ReturnType<typeof useLocalBus>> | undefined;

describe('replaying a stream consumer’s dead letter', () => {
  beforeAll(async () => {
    const { tableName, endpoint } = await useTestTable('stream-failure-replay');
    // CountConfirmations announces what it counted (SignatureConfirmed) on the bus.
    bus = await useLocalBus();
    arn = await streamArn(localClient(endpoint), tableName);
    streams = new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    queues = new LocalQueues([{ name: queue, visibilityTimeoutSeconds: 30 }]);
    await queues.listen();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SQS: queues.endpoint,
      [deadLetterUrlVariable('stream')]: queues.url(queue),
      [replayFunctionsVariable]: 'CountConfirmations,RouteChanges',
    });
  });

  beforeEach(() => queues.purge(queue));

  afterAll(async () => {
    await bus?.close();
    await queues?.close();
  });

  it('reads the batch again, counts what it confirmed, deletes the record, and counts nothing twice', async () => {
    const campaign = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Replayed batch' }), { status: 'open' });
    const countries = ['MA', 'MA', 'TR', 'PS'];
    for (const [i, country] of countries.entries()) {
      const email = `replayed.${i}@example.org`;
      expect(await recordSignature(campaign.slug, { name: `Signer ${i}`, email, country, public: false, subscribe: false })).toBe('recorded');
      expect(await confirmSignature(keys.signature(campaign.slug, emailKey(email)))).toBe('confirmed');
    }
    const records = await streamRecords(campaign.slug);
    const confirming = records.filter((r) => r.confirms);
    expect(confirming).toHaveLength(countries.length);
    const shardId = confirming[0]!.shardId;
    expect(confirming.every((r) => r.shardId === shardId)).toBe(true);
    const batch = { shardId, startSequenceNumber: confirming[0]!.sequence, endSequenceNumber: confirming.at(-1)!.sequence };
    // Nothing has counted them: no stream consumer runs in this test.
    expect((await getCounts(campaign.slug, undefined)).signatures).toBe(0);

    queues.send(queue, [{ body: failureRecord('CountConfirmations', batch) }]);
    expect(await replay(count)).toMatchObject({ queue: 'stream', replayed: 1, skipped: 0, failed: 0, left: 0 });
    expect(queues.counts(queue)).toMatchObject({ visible: 0, inFlight: 0 });
    const counted = await getCounts(campaign.slug, undefined);
    expect(counted.signatures).toBe(4);
    expect(counted.byCountry).toEqual({ MA: 2, TR: 1, PS: 1 });

    // The same failure record again (a second delivery): replayed, and the count holds.
    queues.send(queue, [{ body: failureRecord('CountConfirmations', batch) }]);
    expect(await replay(count)).toMatchObject({ replayed: 1, failed: 0 });
    expect((await getCounts(campaign.slug, undefined)).signatures).toBe(4);
  });

  it('leaves a record whose consumer fails again, or whose batch has left the stream, or that names another function, and says why', async () => {
    const records = await streamRecords('none');
    const batch = { shardId: records[0]!.shardId, startSequenceNumber: records[0]!.sequence, endSequenceNumber: records[0]!.sequence };
    queues.send(queue, [{ body: failureRecord('CountConfirmations', batch) }]);
    const failing = await replay(() => Promise.resolve({ batchItemFailures: [{ itemIdentifier: batch.startSequenceNumber }] }));
    expect(failing).toMatchObject({ replayed: 0, failed: 1 });
    expect(failing.notes.join(' ')).toContain('1 of 1 records failed again');
    expect(queues.counts(queue).visible + queues.counts(queue).inFlight).toBe(1);
    queues.purge(queue);

    queues.send(queue, [{ body: failureRecord('CountConfirmations', batch) }, { body: failureRecord('SomeoneElse', batch) }]);
    const expired = await replayStreamFailures({ budgetMs: 20_000, invoke: count, read: () => Promise.resolve('expired' as const) });
    expect(expired).toMatchObject({ replayed: 0, skipped: 2, failed: 0 });
    expect(expired.notes.join(' ')).toContain('older than the stream');
    expect(expired.notes.join(' ')).toContain('SomeoneElse is not one of this stack');
    expect(queues.counts(queue).visible + queues.counts(queue).inFlight).toBe(2);
  });
});
