import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { invocation } from './invocation.ts';

export type StreamHandler = (event: DynamoDBStreamEvent, context?: Context) => Promise<DynamoDBBatchResponse>;

/**
 * The one partial-batch model of every stream consumer: a batch's answer names the records that failed
 * (`batchItemFailures`, ReportBatchItemFailures is on for every stream trigger), and the stream retries from
 * the first of them; a thrown error fails the whole batch, which Lambda bisects and retries, then dead-letters.
 *
 * A batch handler sees the whole batch and returns the records it could not process (CountConfirmations:
 * one transaction per campaign, so a failure is a set of records, not one).
 */
export function batchStreamHandler(fn: (records: DynamoDBRecord[]) => Promise<readonly DynamoDBRecord[]>): StreamHandler {
  return invocation<DynamoDBStreamEvent, DynamoDBBatchResponse>('stream').handler(async (event) => {
    const failed = await fn(event.Records);
    return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })) };
  }) as unknown as StreamHandler;
}

/**
 * A record handler: the same model, with each record processed on its own (concurrently) and failing alone.
 * `forBatch` runs once per invocation and returns the function applied to each record, so a batch can share
 * what its records have in common (the campaign they name). When every record fails, the batch throws.
 */
export function recordStreamHandler(forBatch: () => (record: DynamoDBRecord) => Promise<void>): StreamHandler {
  return batchStreamHandler(async (records) => {
    // A processor per invocation: a module-wide one would mix the records of concurrent batches.
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    const { batchItemFailures } = await processPartialResponse({ Records: records }, forBatch(), processor);
    const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
    return records.filter((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
  });
}
