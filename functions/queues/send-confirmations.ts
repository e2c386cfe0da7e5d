import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { config } from '#shared/config.ts';
import { localise, type Campaign } from '#shared/domain/campaign.ts';
import type { AwaitingLinkType } from '#shared/domain/statuses.ts';
import { sendPaced } from '#shared/mail/paced-send.ts';
import { confirmationMail } from '#shared/mail/templates/confirmation.ts';
import { logger, metrics } from '#shared/observability.ts';
import { linkMailMessage, type LinkMailMessage } from '#shared/queues/mail-messages.ts';
import { findRequest } from '#shared/store/awaiting-confirmation.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { linkRequestCodec } from '#shared/store/items.ts';
import { takeMailboxAllowance } from '#shared/store/mailbox-cap-store.ts';
import { isSuppressed } from '#shared/store/outreach-store.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import {
  deriveToken,
  issueLeasedToken,
  leaseTokenMail,
  markTokenMailed,
  markTokenWithheld,
  releaseTokenMail,
  type ConfirmationAction,
  type TokenSubjectImage,
} from '#shared/store/token-store.ts';
import { awaitsItsLink } from '#shared/streams/change-routes.ts';
import { queueHandler } from '#shared/triggers/queue-handler.ts';
import { cachedFor } from '#shared/mail/short-cache.ts';

const actions = { signature: 'signature', endorsement: 'endorsement', subscriber: 'subscription', erasure: 'erasure' } as const;

/** Longer than a send can take (the function's timeout), so a live sender never loses its lease. */
const leaseSeconds = 120;

const campaigns = cachedFor<Campaign>(60_000, findCampaign);

/**
 * Mails the link of a request the router found waiting (confirmation-mail queue), first under the account-wide
 * pace. Every request gets its own link, even when a repeat replaced it meanwhile (any of the person's valid links
 * confirms the item as it stands); the item is read as it stands, so one confirmed, erased or made again since
 * gets no mail from this message. The link is derived from the request, so a repeated message finds its token and what
 * became of its mail; a lease on the token keeps two deliveries of one message from both sending. No mail goes to
 * a suppressed address, nor past the mailbox's hourly and daily caps; a withheld or rejected mail is recorded on
 * its token and never reconsidered. A send SES refuses for now (throttled, paused) gives the lease back and fails
 * the message, which comes again after its visibility timeout.
 */
export const handler = queueHandler(linkMailMessage, (message) => mailLink(message));

/** The link's token, stored with its lease for this sender when new; an existing one is leased unless its mail was decided. */
async function leaseLink(token: string, action: ConfirmationAction, key: { pk: string; sk: string }, item: TokenSubjectImage): Promise<{ leased: boolean; allowanceTaken: boolean }> {
  const issued = await issueLeasedToken(token, action, key, item, leaseSeconds);
  if (issued.leased) return { leased: true, allowanceTaken: false };
  if (issued.mail) return { leased: false, allowanceTaken: false };
  return leaseTokenMail(token, leaseSeconds);
}

async function mailLink({ key, requestId, generation }: LinkMailMessage): Promise<void> {
  // Gone, confirmed, or made again since (another generation): no link to mail for this request.
  const item = await findRequest(key, generation);
  if (!item || !awaitsItsLink(item) || item.confirmedBy) return;
  const request = linkRequestCodec.decode(item);
  const action = actions[item.type as AwaitingLinkType];
  const token = deriveToken(key.pk, requestId);
  const lease = await leaseLink(token, action, key, item);
  if (!lease.leased) return;

  const slug = request.campaign;
  const campaign = slug ? await campaigns(slug) : undefined;
  if (slug && !campaign) return;
  if (!lease.allowanceTaken) {
    const withheld = (await isSuppressed(emailKey(request.email))) ? 'suppressed' : (await takeMailboxAllowance(request.email)) ? undefined : 'mailbox-cap';
    if (withheld) {
      await markTokenWithheld(token, withheld);
      metrics.addMetric('ConfirmationMailsWithheld', MetricUnit.Count, 1);
      logger.info('confirmation mail withheld', { campaign: campaign?.slug, action, reason: withheld });
      return;
    }
  }
  const outgoing = confirmationMail({
    to: request.email,
    action,
    name: request.greetingName,
    ...(campaign ? { campaignTitle: localise(campaign, request.locale).title } : {}),
    link: `${config().PUBLIC_URL}/confirm/${token}`,
    validDays: config().CONFIRMATION_TTL_DAYS,
    ...(request.locale ? { locale: request.locale } : {}),
  });
  const outcome = await sendPaced(outgoing, 'first').catch(async (error: unknown) => {
    await releaseTokenMail(token);
    throw error;
  });
  if (outcome.sent) {
    await markTokenMailed(token);
    logger.info('confirmation mailed', { campaign: campaign?.slug, action });
    return;
  }
  if (outcome.kind === 'permanent') {
    await markTokenWithheld(token, 'rejected');
    metrics.addMetric('ConfirmationMailsRejected', MetricUnit.Count, 1);
    logger.warn('confirmation mail rejected by SES', { campaign: campaign?.slug, action, error: outcome.error });
    return;
  }
  await releaseTokenMail(token);
  throw new Error(`confirmation mail not sent for now: ${outcome.error}`);
}
