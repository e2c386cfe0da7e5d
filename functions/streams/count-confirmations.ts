import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBRecord } from 'aws-lambda';
import { logger, metrics } from '#shared/observability.ts';
import { images } from '#shared/streams/images.ts';
import { confirmationOf, countConfirmations, type Confirmation } from '#shared/store/counting.ts';
import { batchStreamHandler } from '#shared/triggers/stream-handler.ts';
import { endorsementStatus, signatureStatus } from '#shared/domain/statuses.ts';

/**
 * Counter aggregator. The event source mapping's filter delivers only signatures becoming confirmed and
 * endorsements becoming approved; this turns a batch of them into one counter write per campaign (see counting.ts for why the
 * result is exact under redelivery, bisection and concurrency).
 */
export const handler = batchStreamHandler(async (records) => {
  const recordOf = new Map<Confirmation, DynamoDBRecord>();
  for (const record of records) {
    const confirmation = countable(record);
    if (confirmation) recordOf.set(confirmation, record);
  }
  const failed = await countConfirmations([...recordOf.keys()]);
  metrics.addMetric('ConfirmationsCounted', MetricUnit.Count, recordOf.size - failed.length);
  if (failed.length > 0) {
    logger.warn('confirmations not counted yet; the stream will retry them', { failed: failed.length, batch: records.length });
  }
  return failed.flatMap((confirmation) => recordOf.get(confirmation) ?? []);
});

/**
 * The filter already selects these; checking again keeps the handler correct without it (and a unit test holds
 * the two to the same answer).
 */
export function countable(record: DynamoDBRecord): Confirmation | undefined {
  const { newImage, oldImage } = images(record);
  if (!newImage) return undefined;
  // Only the change that made the item count: later updates of a counted item are not new confirmations.
  const becameCountable =
    (newImage.type === 'signature' && oldImage?.status === signatureStatus.awaitingLink) ||
    (newImage.type === 'endorsement' && oldImage?.status !== endorsementStatus.approved);
  return becameCountable ? confirmationOf(newImage) : undefined;
}
