import { createHash } from 'node:crypto';
import type { CampaignClosed } from '#events/campaign-closed.ts';
import type { CampaignPublished } from '#events/campaign-published.ts';
import type { EndorsementApproved } from '#events/endorsement-approved.ts';
import type { MilestoneReached } from '#events/milestone-reached.ts';
import type { SignatureConfirmed } from '#events/signature-confirmed.ts';
import type { WebhookEvent } from '#shared/domain/webhook.ts';
import type { SignatureItem } from '#shared/store/items.ts';

/**
 * What a webhook receives for each event. Ids first: a delivery's `Tadamon-Event-Id` and its id in Tadamon are
 * derived from the webhook and the source event, so the event redelivered by the bus, retried by EventBridge or
 * replayed by an operator carries the same key, and two webhooks never share one (a receiver cannot link what
 * two partners were sent).
 */

export type SourceEvent =
  | { detailType: 'SignatureConfirmed'; detail: SignatureConfirmed }
  | { detailType: 'EndorsementApproved'; detail: EndorsementApproved }
  | { detailType: 'MilestoneReached'; detail: MilestoneReached }
  | { detailType: 'CampaignPublished'; detail: CampaignPublished }
  | { detailType: 'CampaignClosed'; detail: CampaignClosed };

/** What makes a source event itself (not its delivery by the bus) and when it happened. */
export function identityOf(event: SourceEvent): { key: string; at: string } {
  switch (event.detailType) {
    case 'SignatureConfirmed':
      return { key: `signature:${event.detail.signatureId}`, at: event.detail.confirmedAt };
    case 'EndorsementApproved':
      return { key: `endorsement:${event.detail.endorsementId}`, at: event.detail.approvedAt };
    case 'MilestoneReached':
      return { key: `milestone:${event.detail.milestoneId}`, at: event.detail.reachedAt };
    case 'CampaignPublished':
      return { key: `published:${event.detail.slug}:${event.detail.publishedAt}`, at: event.detail.publishedAt };
    case 'CampaignClosed':
      return { key: `closed:${event.detail.slug}:${event.detail.closedAt}`, at: event.detail.closedAt };
  }
}

/**
 * The delivery's id (sorts by the event's time, so a webhook's deliveries list newest first) and its event id
 * (the idempotency key receivers see).
 */
export function deliveryIds(webhookId: string, event: SourceEvent): { deliveryId: string; eventId: string } {
  const { key, at } = identityOf(event);
  const hash = createHash('sha256').update(`${webhookId}|${key}`).digest('hex');
  const time = Math.max(0, Date.parse(at) || 0).toString(36).padStart(9, '0');
  return { deliveryId: `${time}${hash.slice(0, 16)}`, eventId: `evt_${hash.slice(0, 32)}` };
}

export interface WebhookAudience {
  /** A partner organisation's id; absent: the operator's own system. */
  partner?: string | undefined;
}

/**
 * The body POSTed for an event. `SignatureConfirmed` carries a person only as far as they agreed: the operator's
 * own system (no partner) is told who signed (name, email, country, locale); a partner, only when the signature
 * holds that partner's consent (name, email, country, and the consent itself: when, in which language, the exact
 * text); otherwise the campaign, the country and the time, nothing that tells who.
 */
export function bodyOf(eventId: string, event: SourceEvent, audience: WebhookAudience, signature: SignatureItem | undefined): Record<string, unknown> {
  const { at } = identityOf(event);
  return { id: eventId, type: event.detailType satisfies WebhookEvent, occurredAt: at, data: dataOf(event, audience, signature) };
}

function dataOf(event: SourceEvent, audience: WebhookAudience, signature: SignatureItem | undefined): Record<string, unknown> {
  switch (event.detailType) {
    case 'SignatureConfirmed': {
      const { slug, country, confirmedAt } = event.detail;
      const anonymous = { campaign: slug, country, confirmedAt };
      if (!signature || !signature.email) return anonymous;
      if (!audience.partner) {
        return { ...anonymous, signatureId: event.detail.signatureId, name: signature.name, email: signature.email, locale: signature.locale };
      }
      const consent = signature.partnerConsents?.[audience.partner];
      if (!consent) return anonymous;
      return { ...anonymous, name: signature.name, email: signature.email, consent: { partner: audience.partner, at: consent.at, locale: consent.locale, text: consent.text } };
    }
    case 'EndorsementApproved': {
      const { slug, organisation, country, approvedAt } = event.detail;
      return { campaign: slug, organisation, country, approvedAt };
    }
    case 'MilestoneReached': {
      const { slug, threshold, kind, goalPercent, total, reachedAt } = event.detail;
      return { campaign: slug, threshold, kind, ...(goalPercent === undefined ? {} : { goalPercent }), total, reachedAt };
    }
    case 'CampaignPublished': {
      const { slug, kind, title, urgent, countries, topics, publishedAt } = event.detail;
      return { campaign: slug, kind, title, urgent, countries, topics, publishedAt };
    }
    case 'CampaignClosed': {
      const { slug, kind, title, closedAt } = event.detail;
      return { campaign: slug, kind, title, closedAt };
    }
  }
}
