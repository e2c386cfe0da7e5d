import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SignatureSubmitted } from '#events/signature-submitted.ts';
import { guardSourceSubmission } from '#shared/abuse/guard.ts';
import { awsAccountPattern, submittedSource } from '#shared/domain/signature-source.ts';
import { problemFor } from '#shared/http/problem.ts';
import { logger, metrics } from '#shared/observability.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';
import { claimReceipts, type ReceiptName } from '#shared/store/event-receipt-store.ts';
import { assertAcceptsSignatures, assertKnownPartners, recordSignatureRequest } from './sign-campaign.ts';

/**
 * A signature request that came in as a `SignatureSubmitted` event, recorded through exactly what
 * `POST /campaigns/{slug}/signatures` does: the same campaign checks, the same abuse guard (with the sending
 * account in the place of the IP address), the same recording (pending until its link is clicked, deduplicated
 * per person and campaign) and so the same confirmation mail under the same per-mailbox caps.
 *
 * What differs is how the outcome is told. There is nobody to answer, so:
 * - a request the HTTP route would refuse for good (no such campaign, closed, blocked, unknown partner) is
 *   `rejected`: logged with the campaign, the event id and the reason, never a name or an address; counted as
 *   `SignatureEventsRejected`; and dropped, since a retry would be refused just the same. Like a refused request
 *   it changes nothing (its receipts are given back, and the guard refuses before it counts);
 * - a refusal that passes with time (the rate limits) and any other failure throw, so Lambda and EventBridge
 *   try the event again, and after their retries it waits in the dead-letter queue for a replay;
 * - the event is recorded once by its id and once per idempotency key of its account (event-receipt-store.ts):
 *   a second delivery is a `duplicate` and changes nothing, not even a rate limit's window.
 */

export type SubmissionOutcome = { outcome: 'recorded' } | { outcome: 'duplicate' } | { outcome: 'rejected'; reason: string };

export interface EventOrigin {
  /** EventBridge's id of this event: the same on every delivery of it. */
  eventId: string;
  /** The AWS account that put it on the bus (set by EventBridge; a partner's, or this deployment's own). */
  account: string;
}

export async function recordSubmittedSignature(detail: SignatureSubmitted, origin: EventOrigin): Promise<SubmissionOutcome> {
  if (!awsAccountPattern.test(origin.account)) return rejected(detail, origin, 'unknown-account');
  const names: ReceiptName[] = [
    { kind: 'event-id', value: origin.eventId },
    ...(detail.idempotencyKey ? [{ kind: 'idempotency-key' as const, value: `${detail.slug}\n${detail.idempotencyKey}` }] : []),
  ];
  const claim = await claimReceipts(origin.account, names);
  if (!claim.claimed) {
    // Another invocation is recording it now: come back later, by when it has settled (or its lease ran out).
    if (claim.state === 'busy') throw new Error(`SignatureSubmitted ${origin.eventId} is being recorded by another delivery`);
    metrics.addMetric('SignatureEventsDuplicate', MetricUnit.Count, 1);
    logger.info('signature event already recorded', { campaign: detail.slug, eventId: origin.eventId });
    return { outcome: 'duplicate' };
  }
  const release = () => claim.release().catch((error: unknown) => logger.warn('event receipt not released; its lease will run out', { eventId: origin.eventId, error }));
  let outcome: SubmissionOutcome;
  try {
    outcome = await record(detail, origin);
  } catch (error) {
    await release();
    throw error;
  }
  // A refused event leaves nothing behind, as a refused request does: a redelivery is judged again.
  if (outcome.outcome === 'rejected') await release();
  // Made, whatever happens next: a receipt left unsettled only means a redelivery after its lease records again.
  else await claim.settle(outcome.outcome).catch((error: unknown) => logger.warn('event receipt not settled', { eventId: origin.eventId, error }));
  return outcome;
}

async function record(detail: SignatureSubmitted, origin: EventOrigin): Promise<SubmissionOutcome> {
  const { slug, idempotencyKey: _key, ...request } = detail;
  try {
    const campaign = await getPublicCampaign(slug);
    assertAcceptsSignatures(campaign);
    assertKnownPartners(campaign, request);
    await guardSourceSubmission({ action: 'sign', campaign: campaign.slug, email: request.email, account: origin.account });
    await recordSignatureRequest(campaign, { ...request, source: submittedSource(request.source, origin.account) });
    return { outcome: 'recorded' };
  } catch (error) {
    const problem = problemFor(error);
    // A refusal for good is a 4xx of the HTTP route; the rate limits' 429 passes with time, like any 5xx.
    if (!problem || problem.status === 429 || problem.status >= 500) throw error;
    return rejected(detail, origin, problem.slug);
  }
}

function rejected(detail: SignatureSubmitted, origin: EventOrigin, reason: string): SubmissionOutcome {
  metrics.addMetric('SignatureEventsRejected', MetricUnit.Count, 1);
  logger.warn('signature event rejected; dropped, not retried', { campaign: detail.slug, eventId: origin.eventId, account: origin.account, reason });
  return { outcome: 'rejected', reason };
}
