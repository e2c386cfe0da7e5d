import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBRecord } from 'aws-lambda';
import { logger, metrics } from '#shared/observability.ts';
import { publish, type DomainEvent } from '#shared/events/publisher.ts';
import { confirmationEvent } from '#shared/streams/confirmation-events.ts';
import { heard } from '#shared/streams/confirmation-listeners.ts';
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
  const failedRecords = new Set(failed.flatMap((confirmation) => recordOf.get(confirmation) ?? []));
  // What was counted is announced (SignatureConfirmed, EndorsementApproved) to whoever listens (a webhook, a
  // connector). A refused PutEvents fails those records: they come again, count nothing twice (the markers), and
  // are announced again; consumers dedupe.
  const counted = [...recordOf.values()].filter((record) => !failedRecords.has(record));
  const announced = await announcements(counted);
  await Promise.all(
    chunksOf(announced, 10).map(async (group) => {
      const events = group.map(({ event }) => event);
      await publish(events).catch((error: unknown) => {
        for (const { record } of group) failedRecords.add(record);
        logger.warn('counted confirmations not announced; the stream will deliver them again', { records: group.length, error: error as Error });
      });
    }),
  );
  return records.filter((record) => failedRecords.has(record));
});

/** The counted records someone listens for, each with its event. */
async function announcements(records: DynamoDBRecord[]): Promise<{ record: DynamoDBRecord; event: DomainEvent }[]> {
  const all = records.flatMap((record) => {
    const event = confirmationEvent(images(record).newImage!);
    return event ? [{ record, event }] : [];
  });
  const listened = await Promise.all(all.map(({ event }) => heard(event)));
  return all.filter((_, i) => listened[i]);
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

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
