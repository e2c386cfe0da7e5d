import { campaignClosed, type CampaignClosed } from '#events/campaign-closed.ts';
import { campaignPublished, type CampaignPublished } from '#events/campaign-published.ts';
import { digestRequested, urgentCallIssued, type OutreachRequested } from '#events/outreach.ts';
import type { DomainEvent } from '#shared/events/publisher.ts';
import { campaignStatus } from '#shared/domain/statuses.ts';
import { campaignCodec } from '#shared/store/items.ts';
import type { Image } from './images.ts';

/**
 * The outbox: domain events come from the table's stream, so an event is never lost between the write that
 * causes it and the bus. A campaign that opens is CampaignPublished, one that closes CampaignClosed; a new
 * outreach is UrgentCallIssued or DigestRequested. Consumers dedupe (delivery is at least once, as EventBridge's own is).
 */
export function toEvent(newImage: Image, oldImage: Image | undefined): DomainEvent | undefined {
  if (newImage.type === 'campaign' && newImage.status === campaignStatus.open && oldImage?.status !== campaignStatus.open) {
    const campaign = campaignCodec.decode(newImage);
    const detail: CampaignPublished = {
      slug: campaign.slug,
      kind: campaign.kind,
      title: campaign.title,
      urgent: Boolean(campaign.urgent),
      countries: campaign.countries ?? [],
      topics: campaign.topics ?? [],
      publishedAt: campaign.updatedAt,
    };
    return { detailType: campaignPublished, detail };
  }
  if (newImage.type === 'campaign' && newImage.status === campaignStatus.closed && oldImage && oldImage.status !== campaignStatus.closed) {
    const campaign = campaignCodec.decode(newImage);
    const closedAt = typeof newImage.closedAt === 'string' ? newImage.closedAt : campaign.updatedAt;
    const detail: CampaignClosed = { slug: campaign.slug, kind: campaign.kind, title: campaign.title, closedAt };
    return { detailType: campaignClosed, detail };
  }
  // A new outreach, unless it waits for its time: functions/schedules/start-due-outreach.ts asks for that one's planning.
  if (newImage.type === 'outreach' && !oldImage && newImage.state !== 'scheduled') {
    const detail: OutreachRequested = { outreachId: String(newImage.id), kind: newImage.kind as OutreachRequested['kind'] };
    return { detailType: detail.kind === 'digest' ? digestRequested : urgentCallIssued, detail };
  }
  return undefined;
}
