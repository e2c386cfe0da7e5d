import type { DynamoDBRecord } from 'aws-lambda';
import { config } from '#shared/config.ts';
import { confirmationMail } from '#shared/mail/templates/confirmation.ts';
import { sendMail } from '#shared/mail/mailer.ts';
import { logger, metrics } from '#shared/observability.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { localise, type Campaign } from '#shared/domain/campaign.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { images, type Image } from '#shared/streams/images.ts';
import { takeMailboxAllowance } from '#shared/store/mailbox-cap-store.ts';
import { isSuppressed } from '#shared/store/outreach-store.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { deriveToken, issueToken, markTokenMailed, markTokenWithheld } from '#shared/store/token-store.ts';
import { recordStreamHandler } from '#shared/triggers/stream-handler.ts';
import { awaitingLink, type AwaitingLinkType } from '#shared/domain/statuses.ts';
import { linkRequestCodec } from '#shared/store/items.ts';

const actions = { signature: 'signature', endorsement: 'endorsement', subscriber: 'subscription', erasure: 'erasure' } as const;

/**
 * An item waiting for its confirmation link: what the stream filter delivers, checked again so the handler is
 * correct without it (a unit test holds the two to the same answer).
 */
export function awaitsItsLink(image: Image | undefined): boolean {
  const type = image?.type;
  return typeof type === 'string' && Object.hasOwn(awaitingLink, type) && image?.status === awaitingLink[type as AwaitingLinkType];
}

/**
 * Mails the link for a new request (a new item, or a repeat that replaced a waiting one's fields: a new
 * `requestId`). The link is derived from the request, so a redelivered record finds its token and what became
 * of its mail. No mail goes to a suppressed address (hard bounce, complaint), nor past the mailbox's hourly and
 * daily caps; a withheld mail is recorded on its token, so redelivery does not reconsider it.
 */
async function mailLink(record: DynamoDBRecord, campaigns: Map<string, Promise<Campaign | undefined>>): Promise<void> {
  const { newImage, oldImage } = images(record);
  if (!newImage || !awaitsItsLink(newImage)) return;
  // A subscription asked for while signing is confirmed by the signature's own link: no second mail.
  if (newImage.confirmedBy) return;
  const request = linkRequestCodec.decode(newImage);
  const { requestId, email, key: subject } = request;
  // Every request writes a fresh id: the same id means no new request (another change to the item).
  if (!requestId || oldImage?.requestId === requestId) return;
  const action = actions[newImage.type as AwaitingLinkType];

  const token = deriveToken(subject.pk, requestId);
  const { mail } = await issueToken(token, action, subject, newImage);
  if (mail) return;
  const slug = request.campaign;
  if (slug && !campaigns.has(slug)) campaigns.set(slug, findCampaign(slug));
  const campaign = slug ? await campaigns.get(slug) : undefined;
  if (slug && !campaign) return;
  const withheld = (await isSuppressed(emailKey(email))) ? 'suppressed' : (await takeMailboxAllowance(email)) ? undefined : 'mailbox-cap';
  if (withheld) {
    await markTokenWithheld(token, withheld);
    metrics.addMetric('ConfirmationMailsWithheld', MetricUnit.Count, 1);
    logger.info('confirmation mail withheld', { campaign: campaign?.slug, action, reason: withheld });
    return;
  }
  await sendMail(
    confirmationMail({
      to: email,
      action,
      name: request.greetingName,
      ...(campaign ? { campaignTitle: localise(campaign, request.locale).title } : {}),
      link: `${config().PUBLIC_URL}/confirm/${token}`,
      validDays: config().CONFIRMATION_TTL_DAYS,
      ...(request.locale ? { locale: request.locale } : {}),
    }),
  );
  await markTokenMailed(token);
  logger.info('confirmation mailed', { campaign: campaign?.slug, action });
}

/**
 * Each record on its own: a failed mail is reported by its sequence number and the stream retries from it; the
 * records after it that were mailed find their token marked and send nothing twice.
 */
export const handler = recordStreamHandler(() => {
  // A batch often holds many confirmations for the same campaign: read each campaign once per invocation.
  const campaigns = new Map<string, Promise<Campaign | undefined>>();
  return (record) => mailLink(record, campaigns);
});
