import type { DynamoDBRecord } from 'aws-lambda';
import { awaitingLink, type AwaitingLinkType } from '#shared/domain/statuses.ts';
import type { DomainEvent } from '#shared/events/publisher.ts';
import type { DeliveryMailMessage, LinkMailMessage } from '#shared/queues/mail-messages.ts';
import { deliveryCodec } from '#shared/store/items.ts';
import { toEvent } from './domain-events.ts';
import { images, type Image } from './images.ts';

/**
 * Where each change of the table goes, besides counting: the router's filter (infra/manifest.ts) delivers the
 * union of these, and each record goes where these say (a unit test holds the filter and these to one answer).
 */
export interface ChangeRoutes {
  /** confirmation-mail: a new request waits for its link. */
  link?: LinkMailMessage;
  /** bulk-mail: a delivery of an urgent call or digest was queued. */
  delivery?: DeliveryMailMessage;
  /** The bus: a campaign opened, an outreach was recorded. */
  event?: DomainEvent;
  /** Milestone detection: a campaign's counter changed. */
  counter?: { newImage: Image; oldImage: Image | undefined };
}

/** An item waiting for its confirmation link, in the status its kind waits in. */
export function awaitsItsLink(image: Image | undefined): boolean {
  const type = image?.type;
  return typeof type === 'string' && Object.hasOwn(awaitingLink, type) && image?.status === awaitingLink[type as AwaitingLinkType];
}

export function routesOf(record: DynamoDBRecord): ChangeRoutes {
  const { newImage, oldImage } = images(record);
  if (!newImage) return {};
  const routes: ChangeRoutes = {};
  const link = linkRequestOf(newImage, oldImage);
  if (link) routes.link = link;
  if (record.eventName === 'INSERT' && newImage.type === 'delivery' && newImage.status === 'queued') {
    const { outreachId, emailKey } = deliveryCodec.decode(newImage);
    routes.delivery = { outreachId, emailKey };
  }
  const event = toEvent(newImage, oldImage);
  if (event) routes.event = event;
  if (record.eventName === 'MODIFY' && newImage.type === 'counter') routes.counter = { newImage, oldImage };
  return routes;
}

/**
 * A new request for a link: a new item, or a repeat that replaced a waiting one's fields (a new `requestId`).
 * Another change to a waiting item (same `requestId`) asks for no mail, nor does a subscription asked for while
 * signing, which the signature's own link confirms (`confirmedBy`).
 */
function linkRequestOf(newImage: Image, oldImage: Image | undefined): LinkMailMessage | undefined {
  if (!awaitsItsLink(newImage) || newImage.confirmedBy) return undefined;
  const requestId = newImage.requestId;
  if (typeof requestId !== 'string' || !requestId || oldImage?.requestId === requestId) return undefined;
  const generation = typeof newImage.generation === 'string' && newImage.generation ? { generation: newImage.generation } : {};
  return { key: { pk: String(newImage.pk), sk: String(newImage.sk) }, requestId, ...generation };
}
