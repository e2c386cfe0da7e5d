import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { logger, metrics } from '#shared/observability.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { invocation } from './invocation.ts';

export type QueueHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/**
 * SQS consumers, in the stream consumers' partial-batch model: the answer names the messages that failed
 * (`batchItemFailures`, so the event source mapping needs ReportBatchItemFailures), which return to the queue
 * and come again after their visibility timeout, then go to its dead-letter queue; the others are deleted. Each
 * body is parsed with its contract first: a body that does not parse will never parse, so it is logged (its
 * problems' paths and codes, never its values), counted as `MalformedMessages` and not retried.
 */
export function queueHandler<S extends z.ZodType>(schema: S, fn: (message: z.infer<S>, record: SQSRecord) => Promise<void>): QueueHandler {
  return invocation<SQSEvent, SQSBatchResponse>('queue').handler(async (event) => {
    const outcomes = await Promise.allSettled(event.Records.map((record) => handle(schema, fn, record)));
    const failed = event.Records.filter((_, i) => outcomes[i]?.status === 'rejected');
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status === 'rejected') logger.warn('queue message failed; it will come again', { messageId: event.Records[i]?.messageId, error: outcome.reason as Error });
    }
    return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
  }) as unknown as QueueHandler;
}

async function handle<S extends z.ZodType>(schema: S, fn: (message: z.infer<S>, record: SQSRecord) => Promise<void>, record: SQSRecord): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    return malformed(record, [{ path: '', code: 'invalid_json' }]);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return malformed(record, parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), code: issue.code })));
  await fn(parsed.data, record);
}

function malformed(record: SQSRecord, problems: { path: string; code: string }[]): void {
  metrics.addMetric('MalformedMessages', MetricUnit.Count, 1);
  logger.error('queue message dropped: its body does not match its contract', { messageId: record.messageId, problems });
}
