import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { config } from '#shared/config.ts';
import { confirmationMail } from '#shared/mail/templates/confirmation.ts';
import { sendMail } from '#shared/mail/mailer.ts';
import { logger } from '#shared/observability.ts';
import { localise, type Campaign } from '#shared/domain/campaign.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { images } from '#shared/streams/images.ts';
import { deriveToken, issueToken, markTokenMailed } from '#shared/store/token-store.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** The status in which each kind of item waits for its confirmation link. */
const awaiting = { signature: 'pending', endorsement: 'unconfirmed', subscriber: 'unconfirmed', erasure: 'unconfirmed' } as const;
const actions = { signature: 'signature', endorsement: 'endorsement', subscriber: 'subscription', erasure: 'erasure' } as const;
type ItemType = keyof typeof awaiting;

/**
 * Mails the confirmation link for a new unconfirmed item, or another link when the person asked again.
 * The n-th link is derived from the item, so a redelivered record finds its token already mailed.
 */
async function mailLink(record: DynamoDBRecord, campaigns: Map<string, Promise<Campaign | undefined>>): Promise<void> {
  const { newImage, oldImage } = images(record);
  const type = newImage?.type as ItemType | undefined;
  if (!newImage || !type || !(type in awaiting) || newImage.status !== awaiting[type]) return;
  // A subscription asked for while signing is confirmed by the signature's own link: no second mail.
  if (newImage.confirmedBy) return;
  const action = actions[type];
  const requests = Number(newImage.linkRequests ?? 1);
  if (oldImage && Number(oldImage.linkRequests ?? 1) >= requests) return;

  const subject = { pk: String(newImage.pk), sk: String(newImage.sk) };
  const token = deriveToken(subject.pk, requests);
  const { mailed } = await issueToken(token, action, subject, newImage.createdAt ? String(newImage.createdAt) : undefined);
  if (mailed) return;
  const slug = newImage.campaign ? String(newImage.campaign) : undefined;
  if (slug && !campaigns.has(slug)) campaigns.set(slug, findCampaign(slug));
  const campaign = slug ? await campaigns.get(slug) : undefined;
  if (newImage.campaign && !campaign) return;
  await sendMail(
    confirmationMail({
      to: String(newImage.email),
      action,
      name: String(newImage.organisation ?? newImage.name ?? ''),
      ...(campaign ? { campaignTitle: localise(campaign, newImage.locale as string | undefined).title } : {}),
      link: `${config().PUBLIC_URL}/confirm/${token}`,
      validDays: config().CONFIRMATION_TTL_DAYS,
      ...(newImage.locale ? { locale: String(newImage.locale) } : {}),
    }),
  );
  await markTokenMailed(token);
  logger.info('confirmation mailed', { campaign: campaign?.slug, action });
}

export const handler = async (event: DynamoDBStreamEvent) => {
  // A batch often holds many confirmations for the same campaign: read each campaign once per invocation.
  const campaigns = new Map<string, Promise<Campaign | undefined>>();
  return processPartialResponse(event, (record: DynamoDBRecord) => mailLink(record, campaigns), processor);
};
