import * as z from 'zod';
import { campaignClosedSchema } from '#events/campaign-closed.ts';
import { campaignPublishedSchema } from '#events/campaign-published.ts';
import { endorsementApprovedSchema } from '#events/endorsement-approved.ts';
import { milestoneReachedSchema } from '#events/milestone-reached.ts';
import { signatureConfirmedSchema } from '#events/signature-confirmed.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { now } from '#shared/clock.ts';
import { logger, metrics } from '#shared/observability.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';
import { signDeliveries } from '#shared/use-cases/webhook-deliveries.ts';
import type { SourceEvent } from '#shared/webhooks/payloads.ts';

const contracts = {
  SignatureConfirmed: signatureConfirmedSchema,
  EndorsementApproved: endorsementApprovedSchema,
  MilestoneReached: milestoneReachedSchema,
  CampaignPublished: campaignPublishedSchema,
  CampaignClosed: campaignClosedSchema,
} as const;

/** Any of the five details; the detail type picks which (below). */
const anyDetail = z.union(Object.values(contracts));

/**
 * The signer: each event a webhook may ask for becomes one signed `WebhookDelivery` per webhook that asks for it,
 * which the webhook's rule hands to its API destination. EventBridge then does the HTTP, the retries and the
 * dead letters; nothing here waits on a receiver.
 */
export const handler = eventHandler(anyDetail, async (_detail, event) => {
  const detailType = event['detail-type'] as keyof typeof contracts;
  const contract = contracts[detailType] as z.ZodType | undefined;
  if (!contract) return { sent: 0, skipped: 0 };
  // The union let it through; its own type's contract must too (a detail of one type shaped as another's is broken).
  const parsed = contract.safeParse(event.detail);
  if (!parsed.success) {
    metrics.addMetric('MalformedEvents', MetricUnit.Count, 1);
    logger.error('event detail does not match its contract; dropped, not retried', { detailType, eventId: event.id });
    return { dropped: 'malformed-detail' as const };
  }
  return signDeliveries({ detailType, detail: parsed.data } as SourceEvent, now());
});
