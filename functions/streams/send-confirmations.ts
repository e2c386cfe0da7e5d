import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { config } from '#shared/config.ts';
import { confirmationMail } from '#shared/mail/templates/confirmation.ts';
import { sendMail } from '#shared/mail/mailer.ts';
import { logger } from '#shared/observability.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { images } from '#shared/streams/images.ts';
import { deriveToken, issueToken, markTokenMailed } from '#shared/store/token-store.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** The status in which each kind of item waits for its confirmation link. */
const awaiting = { signature: 'pending', endorsement: 'unconfirmed' } as const;
type Action = keyof typeof awaiting;

/**
 * Mails the confirmation link for a new unconfirmed item, or another link when the person asked again.
 * The n-th link is derived from the item, so a redelivered record finds its token already mailed.
 */
async function mailLink(record: DynamoDBRecord): Promise<void> {
  const { newImage, oldImage } = images(record);
  const action = newImage?.type as Action | undefined;
  if (!newImage || !action || !(action in awaiting) || newImage.status !== awaiting[action]) return;
  const requests = Number(newImage.linkRequests ?? 1);
  if (oldImage && Number(oldImage.linkRequests ?? 1) >= requests) return;

  const subject = { pk: String(newImage.pk), sk: String(newImage.sk) };
  const token = deriveToken(subject.pk, requests);
  const { mailed } = await issueToken(token, action, subject);
  if (mailed) return;
  const campaign = await findCampaign(String(newImage.campaign));
  if (!campaign) return;
  await sendMail(
    confirmationMail({
      to: String(newImage.email),
      action,
      name: String(action === 'signature' ? newImage.name : newImage.organisation),
      campaignTitle: campaign.title,
      link: `${config().PUBLIC_URL}/confirm/${token}`,
      validDays: config().CONFIRMATION_TTL_DAYS,
    }),
  );
  await markTokenMailed(token);
  logger.info('confirmation mailed', { campaign: campaign.slug, action, id: String(newImage.id) });
}

export const handler = async (event: DynamoDBStreamEvent) => processPartialResponse(event, mailLink, processor);
