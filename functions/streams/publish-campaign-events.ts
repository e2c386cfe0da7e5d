import type { DynamoDBStreamEvent } from 'aws-lambda';
import { campaignPublished, type CampaignPublished } from '#events/campaign-published.ts';
import { publish, type DomainEvent } from '#shared/events/publisher.ts';
import { images } from '#shared/streams/images.ts';

/**
 * The outbox: campaign status changes become domain events from the stream, so an event is never lost
 * between the table write and the bus. Consumers dedupe (at-least-once, as EventBridge itself is).
 */
export async function handler(event: DynamoDBStreamEvent): Promise<void> {
  const events: DomainEvent[] = [];
  for (const record of event.Records) {
    const { newImage, oldImage } = images(record);
    if (!newImage || newImage.type !== 'campaign' || newImage.status !== 'open' || oldImage?.status === 'open') continue;
    const detail: CampaignPublished = {
      slug: String(newImage.slug),
      kind: newImage.kind as CampaignPublished['kind'],
      title: String(newImage.title),
      urgent: Boolean(newImage.urgent),
      countries: (newImage.countries as string[] | undefined) ?? [],
      topics: (newImage.topics as string[] | undefined) ?? [],
      publishedAt: String(newImage.updatedAt),
    };
    events.push({ detailType: campaignPublished, detail });
  }
  // Any failure throws: the whole batch is retried, and consumers dedupe the events already put.
  if (events.length > 0) await publish(events);
}
