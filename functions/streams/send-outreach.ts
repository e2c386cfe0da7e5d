import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { config } from '#shared/config.ts';
import { localise, type Campaign } from '#shared/domain/campaign.ts';
import { digestFor, openCampaignsWithTotals } from '#shared/use-cases/digest-content.ts';
import { isRecipient } from '#shared/domain/outreach-planning.ts';
import { RateLimiter } from '#shared/mail/rate-limiter.ts';
import { sendMail, type OutgoingMail } from '#shared/mail/mailer.ts';
import { digestMail, urgentCallMail } from '#shared/mail/templates/index.ts';
import { logger, metrics } from '#shared/observability.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { claimDelivery, findOutreach, finishDelivery, isSuppressed, startSending, type Outreach } from '#shared/store/outreach-store.ts';
import { findSubscriber, unsubscribeToken } from '#shared/store/subscription-store.ts';
import { images } from '#shared/streams/images.ts';
import { batchStreamHandler } from '#shared/triggers/stream-handler.ts';
import { deliveryCodec } from '#shared/store/items.ts';

let limiter: RateLimiter | undefined;
const digestCache = new Map<string, ReturnType<typeof openCampaignsWithTotals>>();

/**
 * The rate-limited sender. Each delivery is sent at most once: it is claimed, waits for its turn under the
 * rate cap, is marked `sending` just before SES is called, and is finished (sent | failed) with its
 * outreach's counters in one transaction. A redelivered record finds its delivery done and does nothing; one
 * left `claimed` by a sender that died is taken again; one whose recipient unsubscribed, bounced or
 * complained meanwhile is skipped, never sent. Any failure throws: the batch is retried, and finished
 * deliveries are passed over.
 */
export const handler = batchStreamHandler(async (records) => {
  const rate = (limiter ??= new RateLimiter(config().SES_RATE_PER_SECOND));
  const outreaches = new Map<string, Promise<Outreach | undefined>>();
  const campaigns = new Map<string, Promise<Campaign | undefined>>();
  const deliveries = records.flatMap((record) => {
    const { newImage } = images(record);
    if (!newImage || newImage.type !== 'delivery' || newImage.status !== 'queued') return [];
    const { outreachId, emailKey } = deliveryCodec.decode(newImage);
    return [{ outreachId, emailKey }];
  });
  // Several deliveries in flight keep the rate limiter, not the round trips, the thing that paces sending.
  let next = 0;
  const worker = async () => {
    while (next < deliveries.length) {
      const { outreachId, emailKey } = deliveries[next++]!;
      if (!outreaches.has(outreachId)) outreaches.set(outreachId, findOutreach(outreachId));
      const outreach = await outreaches.get(outreachId);
      if (!outreach) continue;
      const slug = outreach.campaign ?? '';
      if (slug && !campaigns.has(slug)) campaigns.set(slug, findCampaign(slug));
      await deliver(outreach, slug ? await campaigns.get(slug) : undefined, emailKey, rate);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return [];
});

const concurrency = 8;

async function deliver(outreach: Outreach, campaign: Campaign | undefined, emailKey: string, rate: RateLimiter): Promise<void> {
  // Claim first: a replayed stream (a restarted sender) passes over finished deliveries in one round trip.
  if (!(await claimDelivery(outreach.id, emailKey))) return;
  const subscriber = await findSubscriber(emailKey);
  if (!subscriber || !isRecipient(outreach, subscriber, campaign) || (await isSuppressed(emailKey))) {
    if (await finishDelivery(outreach.id, emailKey, 'claimed', 'skipped')) metrics.addMetric('EmailsSkipped', MetricUnit.Count, 1);
    return;
  }
  const mail = await compose(outreach, campaign, subscriber.email, subscriber.locale, emailKey);
  await rate.take();
  if (!(await startSending(outreach.id, emailKey))) return;
  const outcome = await sendWithRetries(mail);
  await finishDelivery(outreach.id, emailKey, 'sending', outcome.ok ? 'sent' : 'failed', outcome.ok ? undefined : outcome.error);
  metrics.addMetric(outcome.ok ? 'EmailsSent' : 'EmailsFailed', MetricUnit.Count, 1);
  if (!outcome.ok) logger.warn('delivery failed', { outreachId: outreach.id, error: outcome.error });
}

async function compose(outreach: Outreach, found: Campaign | undefined, to: string, locale: string | undefined, emailKey: string): Promise<OutgoingMail> {
  const unsubscribeUrl = `${config().PUBLIC_URL}/unsubscribe/${unsubscribeToken(emailKey)}`;
  const sender = config().SENDER_IDENTITY;
  if (outreach.kind === 'digest') {
    let open = digestCache.get(outreach.id);
    if (!open) {
      const read = openCampaignsWithTotals();
      digestCache.set(outreach.id, read);
      // A failed read must not outlive this batch: the retry in this container reads again.
      read.catch(() => {
        if (digestCache.get(outreach.id) === read) digestCache.delete(outreach.id);
      });
      open = read;
    }
    const content = digestFor(outreach.period ?? '', await open, locale);
    return digestMail({ to, ...(locale ? { locale } : {}), period: outreach.period ?? '', ...content, unsubscribeUrl, sender });
  }
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
