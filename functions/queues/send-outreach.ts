import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { config } from '#shared/config.ts';
import { localise, type Campaign } from '#shared/domain/campaign.ts';
import { isRecipient, messageIn, messageLocaleFor, parseTestDeliveryKey } from '#shared/domain/outreach-planning.ts';
import { mailLocale } from '#shared/i18n/locales.ts';
import { urgentCallStrings } from '#shared/i18n/strings/urgent-call.ts';
import { composeMail, sendComposed, type OutgoingMail } from '#shared/mail/mailer.ts';
import { classifySendError, describeSendError } from '#shared/mail/send-errors.ts';
import { bulkWriteLeadMs, waitForSlot, waitUntilBefore } from '#shared/mail/send-pace.ts';
import { sharedSlotClaims } from '#shared/mail/shared-slot-claims.ts';
import { cachedFor } from '#shared/mail/short-cache.ts';
import { campaignPageUrl } from '#shared/pages/campaign-page-url.ts';
import { digestMail, urgentCallMail } from '#shared/mail/templates/index.ts';
import { logger, metrics } from '#shared/observability.ts';
import { deliveryMailMessage, type DeliveryMailMessage } from '#shared/queues/mail-messages.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { claimDelivery, findOutreach, finishDelivery, forgetTestAddressesOnceSent, isCancelled, isSuppressed, releaseDelivery, startSending, type Outreach } from '#shared/store/outreach-store.ts';
import { emailKey as emailKeyOf } from '#shared/store/signature-store.ts';
import { findSubscriber, unsubscribeToken } from '#shared/store/subscription-store.ts';
import { freshReads } from '#shared/store/fresh-reads.ts';
import { queueHandler } from '#shared/triggers/queue-handler.ts';
import { digestFor, openCampaignsWithTotals } from '#shared/use-cases/digest-content.ts';

const outreaches = cachedFor<Outreach>(60_000, findOutreach);
const campaigns = cachedFor<Campaign>(60_000, findCampaign);
const digestCache = new Map<string, ReturnType<typeof openCampaignsWithTotals>>();
// The deliveries of a batch that get ready together claim their slots together: one write for several.
const claimBulkSlot = sharedSlotClaims('bulk');
// Whether an outreach was cancelled, read after each delivery asks and shared by those that ask meanwhile.
const cancelledNow = freshReads(isCancelled);

/**
 * The bulk sender: one delivery of an urgent call or digest per message (bulk-mail queue), sent under the
 * account-wide pace after every confirmation link waiting (send-pace.ts). Each delivery is sent at most once: it
 * is claimed, waits for its slot, is marked `sending` just before SES is called, and is finished (sent | failed)
 * with its outreach's counters in one transaction. A repeated message finds its delivery done and does nothing;
 * of two senders holding one delivery, only one marks it `sending`; one whose recipient unsubscribed, bounced or
 * complained meanwhile is skipped, never sent. SES's permanent refusals are recorded as failed; a send SES
 * refused for now (throttled, paused, failing) goes back to `claimed` and its message fails, to come again after
 * the queue's visibility timeout: the queue keeps it 14 days, so the tail of a long send never ages out.
 * A cancelled outreach's deliveries are skipped (and counted) from the next one on: the sender reads the
 * outreach's state, uncached, just before each send (a read begun after the delivery asks, shared by the deliveries
 * of the container that ask while it is under way). A test send's deliveries go to its addresses, one per
 * language version, marked as a test, under the same pace and suppressions.
 */
export const handler = queueHandler(deliveryMailMessage, (message) => deliverMessage(message));

async function deliverMessage({ outreachId, emailKey }: DeliveryMailMessage): Promise<void> {
  const outreach = await outreaches(outreachId);
  if (!outreach) return;
  const slug = outreach.campaign ?? '';
  await deliver(outreach, slug ? await campaigns(slug) : undefined, emailKey);
  if (outreach.test) await forgetTestAddressesOnceSent(outreach.id);
}

/** Who a delivery goes to, in which language; undefined when it is to be skipped. */
interface Addressee {
  to: string;
  locale: string | undefined;
  /** Whose unsubscribe link the mail carries. */
  emailKey: string;
  test: boolean;
}

async function addresseeOf(outreach: Outreach, campaign: Campaign | undefined, key: string): Promise<Addressee | undefined> {
  if (outreach.test) {
    const test = parseTestDeliveryKey(key);
    const to = test ? outreach.testTo?.[test.index] : undefined;
    if (!test || !to) return undefined;
    const ownKey = emailKeyOf(to);
    return (await isSuppressed(ownKey)) ? undefined : { to, locale: test.locale, emailKey: ownKey, test: true };
  }
  // Both reads at once: one round trip of the delivery's way to its slot, not two.
  const [subscriber, suppressed] = await Promise.all([findSubscriber(key), isSuppressed(key)]);
  if (!subscriber || !isRecipient(outreach, subscriber, campaign) || suppressed) return undefined;
  return { to: subscriber.email, locale: subscriber.locale, emailKey: key, test: false };
}

async function skip(outreach: Outreach, key: string): Promise<void> {
  if (await finishDelivery(outreach.id, key, 'claimed', 'skipped')) metrics.addMetric('EmailsSkipped', MetricUnit.Count, 1);
}

async function deliver(outreach: Outreach, campaign: Campaign | undefined, emailKey: string): Promise<void> {
  // Claim first: a repeated message passes over a finished delivery in one round trip.
  if (!(await claimDelivery(outreach.id, emailKey))) return;
  const addressee = outreach.state === 'cancelled' ? undefined : await addresseeOf(outreach, campaign, emailKey);
  if (!addressee) return skip(outreach, emailKey);
  const raw = await composeMail(await compose(outreach, campaign, addressee));
  let slotAt = await claimBulkSlot();
  // The slot is a lead ahead (send-pace.ts): the delivery stays `claimed`, which a sender that dies leaves to the
  // message's next delivery, until just before it, and is marked `sending` only then.
  await waitUntilBefore(slotAt, bulkWriteLeadMs);
  // Cancelled while this one waited for its slot: skipped, counted, never sent.
  if (await cancelledNow(outreach.id)) return skip(outreach, emailKey);
  if (!(await startSending(outreach.id, emailKey))) return;
  // Woken too late for the slot (a slow write, a busy container): another slot, rather than a send off the pace.
  while (!(await waitForSlot(slotAt))) slotAt = await claimBulkSlot();
  try {
    await sendComposed(raw);
  } catch (error) {
    const kind = classifySendError(error);
    if (kind === 'permanent') {
      await finishDelivery(outreach.id, emailKey, 'sending', 'failed', describeSendError(error));
      metrics.addMetric('EmailsFailed', MetricUnit.Count, 1);
      logger.warn('delivery failed', { outreachId: outreach.id, error: describeSendError(error) });
      return;
    }
    await releaseDelivery(outreach.id, emailKey);
    metrics.addMetric(kind === 'throttled' ? 'EmailsThrottled' : 'EmailsDeferred', MetricUnit.Count, 1);
    throw error;
  }
  await finishDelivery(outreach.id, emailKey, 'sending', 'sent');
  metrics.addMetric('EmailsSent', MetricUnit.Count, 1);
}

async function compose(outreach: Outreach, found: Campaign | undefined, { to, locale: ownLocale, emailKey, test }: Addressee): Promise<OutgoingMail> {
  const unsubscribeUrl = `${config().PUBLIC_URL}/unsubscribe/${unsubscribeToken(emailKey)}`;
  // A digest is in the reader's language; an urgent call in theirs where it was written in it, else the campaign's.
  const locale = outreach.kind === 'urgent-call' && (outreach.messages || test) ? messageLocaleFor(outreach, ownLocale) : ownLocale;
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
  const version = messageIn(outreach, mailLocale(locale));
  return urgentCallMail({
    to,
    ...(locale ? { locale } : {}),
    subject: test ? `${urgentCallStrings[mailLocale(locale)].testPrefix} ${version.subject}` : version.subject,
    message: version.message,
    campaign: {
      title: campaign?.title ?? '',
      summary: campaign?.summary ?? '',
      // A page a person can read, in their language: the campaign's own page or this deployment's.
      url: found ? campaignPageUrl(found, locale) : `${config().PUBLIC_URL}/act/${encodeURIComponent(outreach.campaign ?? '')}`,
    },
    unsubscribeUrl,
    sender,
  });
}
