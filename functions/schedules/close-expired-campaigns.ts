import { nowIso } from '#shared/clock.ts';
import { logger } from '#shared/observability.ts';
import { campaignsWithStatus, transitionCampaign } from '#shared/store/campaign-store.ts';
import { scheduleHandler } from '#shared/triggers/schedule-handler.ts';

/**
 * Every minute: open campaigns whose closesAt has passed become closed. Signing already refuses them the
 * moment closesAt passes (acceptsSignatures); this makes lists and the status say so too. Idempotent.
 */
export const handler = scheduleHandler(async (): Promise<{ closed: string[] }> => {
  const at = nowIso();
  const closed: string[] = [];
  for await (const campaign of campaignsWithStatus('open')) {
    if (campaign.closesAt && campaign.closesAt <= at) {
      await transitionCampaign(campaign.slug, ['open'], 'closed');
      closed.push(campaign.slug);
    }
  }
  if (closed.length) logger.info('campaigns closed on schedule', { closed });
  return { closed };
});
