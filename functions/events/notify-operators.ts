import { milestoneReachedSchema } from '#events/milestone-reached.ts';
import { config } from '#shared/config.ts';
import { sendMail } from '#shared/mail/mailer.ts';
import { milestoneMail } from '#shared/mail/templates/index.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { claimNotice } from '#shared/store/outreach-store.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';

/**
 * Tells the operators (OPERATOR_EMAIL) that a campaign reached a milestone — operators only, never
 * subscribers. The notice is claimed per milestone id first, so a redelivered event mails nobody twice.
 */
export const handler = eventHandler(milestoneReachedSchema, async (milestone): Promise<{ notified: boolean }> => {
  const to = config().OPERATOR_EMAIL;
  if (!to) return { notified: false };
  if (!(await claimNotice(`milestone:${milestone.milestoneId}`))) return { notified: false };
  const campaign = await findCampaign(milestone.slug);
  await sendMail(
    milestoneMail({
      to,
      campaignTitle: campaign?.title ?? milestone.slug,
      threshold: milestone.threshold,
      total: milestone.total,
      url: `${config().PUBLIC_URL}/campaigns/${milestone.slug}`,
    }),
  );
  return { notified: true };
});
