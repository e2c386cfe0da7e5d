import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics } from '#shared/observability.ts';
import { images } from '#shared/streams/images.ts';
import { countConfirmations, type Confirmation } from '#shared/store/counting.ts';

/**
 * Counter aggregator. The event source mapping's filter delivers only signatures becoming confirmed and
 * endorsements becoming approved; this turns a batch of them into one counter write per campaign (see counting.ts for why the
 * result is exact under redelivery, bisection and concurrency).
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const bySequence = new Map<Confirmation, string>();
  for (const record of event.Records) {
    const confirmation = countable(record);
    if (confirmation) bySequence.set(confirmation, record.dynamodb?.SequenceNumber ?? '');
  }
  const failed = await countConfirmations([...bySequence.keys()]);
  metrics.addMetric('ConfirmationsCounted', MetricUnit.Count, bySequence.size - failed.length);
  if (failed.length > 0) {
    logger.warn('confirmations not counted yet; the stream will retry them', { failed: failed.length, batch: event.Records.length });
  }
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  return { batchItemFailures: failed.map((c) => ({ itemIdentifier: bySequence.get(c) ?? '' })) };
}

/** The filter already selects these; checking again keeps the handler correct without it. */
function countable(record: DynamoDBRecord): Confirmation | undefined {
  const { newImage, oldImage } = images(record);
  if (!newImage) return undefined;
  const key = { pk: String(newImage.pk), sk: String(newImage.sk) };
  const campaign = String(newImage.campaign);
  if (newImage.type === 'signature' && newImage.status === 'confirmed' && oldImage?.status === 'pending') {
    const order = `${String(newImage.confirmedAt)}#${String(newImage.id)}`;
    const listing = {
      gsi2pk: `CONFIRMED#${campaign}`,
      gsi2sk: order,
      ...(newImage.public === true ? { gsi1pk: `SIGNATURES#${campaign}`, gsi1sk: order } : {}),
    };
    return { campaign, key, counter: 'signatures', country: String(newImage.country), listing };
  }
  if (newImage.type === 'endorsement' && newImage.status === 'approved' && oldImage?.status !== 'approved') {
    return { campaign, key, counter: 'endorsements' };
  }
  return undefined;
}
