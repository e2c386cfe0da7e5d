import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { config } from '#shared/config.ts';
import { localise } from '#shared/domain/campaign.ts';
import { digestFor, openCampaignsWithTotals } from '#shared/domain/digest-content.ts';
import { isRecipient } from '#shared/domain/outreach-planning.ts';
import { RateLimiter } from '#shared/mail/rate-limiter.ts';
import { sendMail, type OutgoingMail } from '#shared/mail/mailer.ts';
import { digestMail, urgentCallMail } from '#shared/mail/templates/index.ts';
import { logger, metrics } from '#shared/observability.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { claimDelivery, findOutreach, finishDelivery, isSuppressed, type Outreach } from '#shared/store/outreach-store.ts';
import { findSubscriber, unsubscribeToken } from '#shared/store/subscription-store.ts';
import { images } from '#shared/streams/images.ts';

let limiter: RateLimiter | undefined;
const digestCache = new Map<string, Awaited<ReturnType<typeof openCampaignsWithTotals>>>();

/**
 * The rate-limited sender. Each delivery is sent at most once: it is claimed (queued → sending) before the
 * send and finished (sending → sent | failed) with its outreach's counters in one transaction. A redelivered
 * record finds its delivery already claimed and does nothing; a delivery whose recipient unsubscribed,
 * bounced or complained meanwhile is skipped, never sent.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<void> {
  limiter ??= new RateLimiter(config().SES_RATE_PER_SECOND);
  const outreaches = new Map<string, Outreach | undefined>();
  for (const record of event.Records) {
    const { newImage } = images(record);
    if (!newImage || newImage.type !== 'delivery' || newImage.status !== 'queued') continue;
    const outreachId = String(newImage.outreachId);
    const subscriberKey = String(newImage.subscriberKey);
    if (!outreaches.has(outreachId)) outreaches.set(outreachId, await findOutreach(outreachId));
    const outreach = outreaches.get(outreachId);
    if (!outreach) continue;
    await deliver(outreach, subscriberKey, limiter);
  }
  metrics.publishStoredMetrics();
}

async function deliver(outreach: Outreach, subscriberKey: string, rate: RateLimiter): Promise<void> {
  const subscriber = await findSubscriber(subscriberKey);
  const campaign = outreach.campaign ? await findCampaign(outreach.campaign) : undefined;
  if (!subscriber || !isRecipient(outreach, subscriber, campaign) || (await isSuppressed(subscriberKey))) {
    if (await finishDelivery(outreach.id, subscriberKey, 'queued', 'skipped')) metrics.addMetric('EmailsSkipped', MetricUnit.Count, 1);
    return;
  }
  if (!(await claimDelivery(outreach.id, subscriberKey))) return;
  const mail = await compose(outreach, subscriber.email, subscriber.locale, subscriberKey);
  await rate.take();
  const outcome = await sendWithRetries(mail);
  await finishDelivery(outreach.id, subscriberKey, 'sending', outcome.ok ? 'sent' : 'failed', outcome.ok ? undefined : outcome.error);
  metrics.addMetric(outcome.ok ? 'EmailsSent' : 'EmailsFailed', MetricUnit.Count, 1);
  if (!outcome.ok) logger.warn('delivery failed', { outreachId: outreach.id, error: outcome.error });
}

async function compose(outreach: Outreach, to: string, locale: string | undefined, subscriberKey: string): Promise<OutgoingMail> {
  const unsubscribeUrl = `${config().PUBLIC_URL}/unsubscribe/${unsubscribeToken(subscriberKey)}`;
  const sender = config().SENDER_IDENTITY;
  if (outreach.kind === 'digest') {
    if (!digestCache.has(outreach.id)) digestCache.set(outreach.id, await openCampaignsWithTotals());
    const content = digestFor(outreach.period ?? '', digestCache.get(outreach.id) ?? [], locale);
    return digestMail({ to, ...(locale ? { locale } : {}), period: outreach.period ?? '', ...content, unsubscribeUrl, sender });
  }
  const found = outreach.campaign ? await findCampaign(outreach.campaign) : undefined;
  const campaign = found ? localise(found, locale) : undefined;
  return urgentCallMail({
    to,
    ...(locale ? { locale } : {}),
    subject: outreach.subject ?? '',
    message: outreach.message ?? '',
    campaign: {
      title: campaign?.title ?? '',
      summary: campaign?.summary ?? '',
      url: `${config().PUBLIC_URL}/campaigns/${outreach.campaign ?? ''}`,
    },
    unsubscribeUrl,
    sender,
  });
}

const transient = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'ServiceUnavailable', 'InternalFailure', 'RequestTimeout', 'TimeoutError']);

/** Throttling and transient errors are retried with backoff; anything else is a permanent failure, recorded. */
async function sendWithRetries(mail: OutgoingMail): Promise<{ ok: true } | { ok: false; error: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sendMail(mail);
      return { ok: true };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      const retryable = transient.has(name) || /rate exceeded|throttl/i.test(message) || (error as { $retryable?: unknown }).$retryable !== undefined;
      if (!retryable || attempt >= 6) return { ok: false, error: `${name}: ${message}`.slice(0, 300) };
      await new Promise((r) => setTimeout(r, Math.min(10_000, 200 * 2 ** attempt)));
    }
  }
}
