import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBRecord } from 'aws-lambda';
import { publish, type DomainEvent } from '#shared/events/publisher.ts';
import { logger, metrics } from '#shared/observability.ts';
import { sendToQueue, type QueueMessage } from '#shared/queues/queue-client.ts';
import type { QueueName } from '#shared/queues/queue-names.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { routesOf, type ChangeRoutes } from '#shared/streams/change-routes.ts';
import { milestoneEvents } from '#shared/streams/milestone-detection.ts';
import { batchStreamHandler } from '#shared/triggers/stream-handler.ts';

/**
 * The table stream's second reader (CountConfirmations is the first; AWS advises at most two per shard): it
 * forwards each change to where it is acted on. A request waiting for its link goes to the confirmation-mail
 * queue, a queued delivery to the bulk-mail queue, an opened campaign or a new outreach to the bus, and a counter
 * change is checked for milestones, which go to the bus too. Queues keep messages 14 days where the stream keeps
 * records 24 hours, so a send that waits behind the SES rate can no longer age out.
 *
 * A record whose forwarding fails is answered as failed, and the stream delivers it (and those after it) again:
 * nothing is dropped. What it forwarded before is forwarded again, which is harmless: every consumer is
 * idempotent (mail: per-token and per-delivery records; events: consumers dedupe, milestones are claimed once).
 */
export const handler = batchStreamHandler(async (records) => {
  const links: Forward[] = [];
  const deliveries: Forward[] = [];
  const events: { record: DynamoDBRecord; event: DomainEvent }[] = [];
  const counters: { record: DynamoDBRecord; change: NonNullable<ChangeRoutes['counter']> }[] = [];
  const failed = new Set<DynamoDBRecord>();
  for (const [i, record] of records.entries()) {
    let routes: ChangeRoutes;
    try {
      routes = routesOf(record);
    } catch (error) {
      // An item that does not decode fails alone: retried, then kept in the stream's dead-letter queue.
      failed.add(record);
      logger.error('a change could not be read; it goes to the dead-letter queue after its retries', { error: error as Error });
      continue;
    }
    if (routes.link) links.push({ record, message: { id: `m${i}`, body: routes.link } });
    if (routes.delivery) deliveries.push({ record, message: { id: `m${i}`, body: routes.delivery } });
    if (routes.event) events.push({ record, event: routes.event });
    if (routes.counter) counters.push({ record, change: routes.counter });
  }

  const fail = (group: readonly DynamoDBRecord[], error: unknown) => {
    for (const record of group) failed.add(record);
    logger.warn('changes not forwarded; the stream will deliver them again', { records: group.length, error: error as Error });
  };
  // A campaign's goal is read once per invocation, however many of its counter changes the batch holds.
  const goals = new Map<string, Promise<number | undefined>>();
  const goalOf = (slug: string) => {
    if (!goals.has(slug)) goals.set(slug, findCampaign(slug).then((campaign) => campaign?.goal));
    return goals.get(slug)!;
  };

  await Promise.all([
    ...chunks(links, 10).map((group) => forward('confirmation-mail', group).catch((error: unknown) => fail(recordsOf(group), error))),
    ...chunks(deliveries, 10).map((group) => forward('bulk-mail', group).catch((error: unknown) => fail(recordsOf(group), error))),
    ...chunks(events, 10).map((group) => publish(group.map((g) => g.event)).catch((error: unknown) => fail(recordsOf(group), error))),
    ...counters.map(async ({ record, change }) => {
      try {
        const found = await milestoneEvents(change.newImage, change.oldImage, goalOf);
        if (found.length > 0) await publish(found);
      } catch (error) {
        fail([record], error);
      }
    }),
  ]);

  metrics.addMetric('ChangesForwarded', MetricUnit.Count, links.length + deliveries.length + events.length - failed.size);
  return records.filter((record) => failed.has(record));
});

interface Forward {
  record: DynamoDBRecord;
  message: QueueMessage;
}

function forward(queue: QueueName, group: readonly Forward[]): Promise<void> {
  return sendToQueue(queue, group.map((g) => g.message));
}

const recordsOf = (group: readonly { record: DynamoDBRecord }[]) => group.map((g) => g.record);

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
