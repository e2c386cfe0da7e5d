import { milestoneReachedSchema } from '#events/milestone-reached.ts';
import { config } from '#shared/config.ts';
import { sendPaced } from '#shared/mail/paced-send.ts';
import { campaignPageUrl } from '#shared/pages/campaign-page-url.ts';
import { milestoneMail } from '#shared/mail/templates/index.ts';
import { logger } from '#shared/observability.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { claimNotice, releaseNotice } from '#shared/store/outreach-store.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';

/**
 * Tells the operators (OPERATOR_EMAIL) that a campaign reached a milestone — operators only, never
 * subscribers. The notice is claimed per milestone id first, so a redelivered event mails nobody twice. It is
 * sent first under the account-wide pace, as confirmation links are (send-pace.ts); a send SES refuses for now
 * gives the claim back and throws, so EventBridge's retry sends it.
 */
export const handler = eventHandler(milestoneReachedSchema, async (milestone): Promise<{ notified: boolean }> => {
  const to = config().OPERATOR_EMAIL;
  if (!to) return { notified: false };
  const notice = `milestone:${milestone.milestoneId}`;
  if (!(await claimNotice(notice))) return { notified: false };
  const campaign = await findCampaign(milestone.slug);
  const mail = milestoneMail({
    to,
    campaignTitle: campaign?.title ?? milestone.slug,
    threshold: milestone.threshold,
    total: milestone.total,
    url: campaign ? campaignPageUrl(campaign) : `${config().PUBLIC_URL}/act/${encodeURIComponent(milestone.slug)}`,
  });
  const outcome = await sendPaced(mail, 'first').catch(async (error: unknown) => {
    await releaseNotice(notice);
    throw error;
  });
  if (outcome.sent) return { notified: true };
  if (outcome.kind === 'permanent') {
    logger.warn('milestone notice rejected by SES', { campaign: milestone.slug, error: outcome.error });
    return { notified: false };
  }
  await releaseNotice(notice);
  throw new Error(`milestone notice not sent for now: ${outcome.error}`);
});
