import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { allPages } from '#shared/store/query-pages.ts';
import { now, nowIso } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { logger } from '#shared/observability.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';
import { eraseItem } from '#shared/store/erasure-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';

/**
 * Daily: a campaign closed for longer than RETENTION_DAYS_AFTER_CLOSE (six months by default) keeps its
 * counts, and its signatures keep country and dates, but every name, address, comment and postcode goes,
 * exactly as an erasure would take them. Deliver the signatures before then.
 */
export async function handler(): Promise<{ anonymised: string[] }> {
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
  return { anonymised };
}

async function anonymiseSignatures(campaign: string): Promise<void> {
  const pages = allPages({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    // Anonymised signatures stay in the index (they still count): a rerun after a stopped run skips them.
    FilterExpression: 'attribute_not_exists(#status) OR #status <> :erased',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': `CONFIRMED#${campaign}`, ':erased': 'erased' },
    ProjectionExpression: 'pk, sk',
  });
  for await (const page of pages) {
    for (const item of page.Items ?? []) await eraseItem({ pk: String(item.pk), sk: String(item.sk) }, 'signature', 'confirmed');
  }
}
