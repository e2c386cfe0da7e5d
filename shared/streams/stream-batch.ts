import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamBatch } from '#shared/queues/failure-records.ts';
import { toLambdaRecord } from './stream-records.ts';

/**
 * Reads a failed stream batch again, from its first sequence number to its last, as the records Lambda delivered:
 * the replay of a stream consumer's dead letter. A stream keeps its records 24 hours; after that the batch is
 * `expired` and only the table's own state can stand in for it (counts: the reconciliation).
 */

let client: DynamoDBStreamsClient | undefined;

function streams(): DynamoDBStreamsClient {
  client ??= new DynamoDBStreamsClient({});
  return client;
}

// Sequence numbers are decimal strings longer than a Number holds.
const atOrBefore = (sequence: string, last: string) => BigInt(sequence) <= BigInt(last);
// A batch is at most 10,000 records (the mappings use far fewer), and one read returns at most 1,000.
const maxReads = 20;

export async function readStreamBatch(batch: StreamBatch, reader: DynamoDBStreamsClient = streams()): Promise<DynamoDBRecord[] | 'expired'> {
  let iterator: string | undefined;
  try {
    iterator = (
      await reader.send(new GetShardIteratorCommand({ StreamArn: batch.streamArn, ShardId: batch.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: batch.startSequenceNumber }))
    ).ShardIterator;
  } catch (error) {
    // The first record has aged out of the stream (or the shard with it).
    if (['TrimmedDataAccessException', 'ResourceNotFoundException'].includes((error as Error).name)) return 'expired';
    throw error;
  }
  const records: DynamoDBRecord[] = [];
  for (let read = 0; iterator && read < maxReads; read++) {
    const page = await reader.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    for (const record of page.Records ?? []) {
      const sequence = record.dynamodb?.SequenceNumber;
      if (!sequence || !atOrBefore(sequence, batch.endSequenceNumber)) return records;
      records.push(toLambdaRecord(record, batch.streamArn));
      if (sequence === batch.endSequenceNumber) return records;
    }
    iterator = page.NextShardIterator;
  }
  return records;
}
