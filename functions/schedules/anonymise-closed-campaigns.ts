import { now } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { logger } from '#shared/observability.ts';
import { listCampaigns, markAnonymised } from '#shared/store/campaign-store.ts';
import { anonymiseCountedSignatures, finishErasures } from '#shared/store/erasure-store.ts';
import { scheduleHandler } from '#shared/triggers/schedule-handler.ts';
import { campaignStatus } from '#shared/domain/statuses.ts';

// The job's own timeout is 15 minutes: stop starting new work well before it.
const budgetMs = 10 * 60_000;

/**
 * Daily: a campaign closed for longer than RETENTION_DAYS_AFTER_CLOSE (six months by default) keeps its
 * counts, but each of its signatures becomes an anonymous item (campaign, country, the day it was counted)
 * under a random key, exactly as an erasure leaves them. Deliver the signatures before then. The same run
 * finishes the erasures a confirmation click left unfinished.
 */
export const handler = scheduleHandler(async (): Promise<{ anonymised: string[]; erasuresFinished: number }> => {
  const erasuresFinished = await finishErasures(Date.now() + budgetMs);
  const cutoff = new Date(now().getTime() - config().RETENTION_DAYS_AFTER_CLOSE * 86_400_000).toISOString();
  const anonymised: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCampaigns({ status: campaignStatus.closed, limit: 100, cursor });
    for (const campaign of page.items) {
      const closedAt = campaign.closedAt ?? campaign.updatedAt;
      if (campaign.anonymisedAt || closedAt > cutoff) continue;
      await anonymiseCountedSignatures(campaign.slug);
      await markAnonymised(campaign.slug);
      anonymised.push(campaign.slug);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (anonymised.length) logger.info('closed campaigns anonymised', { anonymised });
  return { anonymised, erasuresFinished };
});
