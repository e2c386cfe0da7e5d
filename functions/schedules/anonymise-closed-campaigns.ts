import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { allPages } from '#shared/store/query-pages.ts';
import { now, nowIso } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { logger } from '#shared/observability.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';
import { eraseItem, finishErasures } from '#shared/store/erasure-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { scheduleHandler } from '#shared/triggers/schedule-handler.ts';

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
    const page = await listCampaigns({ status: 'closed', limit: 100, cursor });
    for (const campaign of page.items) {
      const closedAt = campaign.closedAt ?? campaign.updatedAt;
      if (campaign.anonymisedAt || closedAt > cutoff) continue;
      await anonymiseSignatures(campaign.slug);
      await db().send(
        new UpdateCommand({ TableName: tableName(), Key: keys.campaign(campaign.slug), UpdateExpression: 'SET anonymisedAt = :at', ExpressionAttributeValues: { ':at': nowIso() } }),
      );
      anonymised.push(campaign.slug);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (anonymised.length) logger.info('closed campaigns anonymised', { anonymised });
  return { anonymised, erasuresFinished };
});

async function anonymiseSignatures(campaign: string): Promise<void> {
  const pages = allPages({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    // Anonymised signatures stay in the index (they still count): a rerun after a stopped run skips them.
    FilterExpression: 'attribute_not_exists(#status) OR #status <> :erased',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': `CONFIRMED#${campaign}`, ':erased': 'erased' },
  });
  for await (const page of pages) {
    for (const item of page.Items ?? []) await eraseItem(item);
  }
}
