import { logger } from '#shared/observability.ts';
import { endorsementStatus } from '#shared/domain/statuses.ts';
import { confirmationOf, countConfirmations } from './counting.ts';
import { partitions } from './layout.ts';
import { allPages } from './query-pages.ts';
import { tableName } from './table.ts';

export interface Sweep {
  /** Items found confirmed (or approved) before the cut-off but without a count marker. */
  found: number;
  /** Of those, the ones that now carry the marker: counted by this sweep (or, in a race, by the stream meanwhile). */
  counted: number;
  /** Not counted this time (conflicts that outlasted the retries): the next sweep finds them again. */
  failed: number;
}

/**
 * The safety net under CountConfirmations, for one campaign: its confirmed signatures and approved endorsements
 * older than `before` that carry no count marker — their stream record was dead-lettered, or lost to a bug — are
 * counted now, through the same exactly-once transaction (counting.ts). Racing the stream or a dead-letter
 * replay is harmless: whoever sets the marker counts the item, the other finds it set.
 *
 * It reads only what is uncounted: signatures from the sparse index the confirming write files them in and the
 * counting write takes them out of (gsi4, one query per shard), so its cost follows the backlog, not the
 * campaign's size; endorsements (a handful per campaign, approved by an operator) from the campaign's list of
 * approved ones. A sweep stopped half-way loses nothing: what it counted left the index, the rest is found again.
 */
export async function sweepUncounted(campaign: string, before: string): Promise<Sweep> {
  const totals: Sweep = { found: 0, counted: 0, failed: 0 };
  const count = async (items: Record<string, unknown>[]) => {
    const confirmations = items.flatMap((item) => confirmationOf(item) ?? []);
    if (!confirmations.length) return;
    const failed = await countConfirmations(confirmations);
    totals.found += confirmations.length;
    totals.failed += failed.length;
    totals.counted += confirmations.length - failed.length;
  };
  await Promise.all(
    partitions.allUncountedSignatures(campaign).map(async (partition) => {
      const pages = allPages({
        TableName: tableName(),
        IndexName: 'gsi4',
        KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk < :before',
        ExpressionAttributeValues: { ':pk': partition, ':before': before },
      });
      for await (const page of pages) await count(page.Items ?? []);
    }),
  );
  const endorsements = allPages({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    FilterExpression: 'attribute_not_exists(countedAt) AND #status = :approved AND decidedAt < :before',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': partitions.approvedEndorsements(campaign), ':approved': endorsementStatus.approved, ':before': before },
  });
  for await (const page of endorsements) await count(page.Items ?? []);
  if (totals.found) logger.warn('uncounted confirmations found and counted', { ...totals, campaign, before });
  return totals;
}
