import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '#shared/observability.ts';
import { confirmationOf, countConfirmations } from './counting.ts';
import { db, tableName } from './table.ts';
import { endorsementStatus, signatureStatus } from '#shared/domain/statuses.ts';

export interface Sweep {
  /** Items found confirmed (or approved) before the cut-off but without a count marker. */
  found: number;
  /** Of those, the ones that now carry the marker: counted by this sweep (or, in a race, by the stream meanwhile). */
  counted: number;
  /** Not counted this time (conflicts that outlasted the retries): the next sweep finds them again. */
  failed: number;
}

const segments = 4;

/**
 * The safety net under CountConfirmations: confirmed signatures and approved endorsements older than `before`
 * that carry no count marker — their stream record was dead-lettered, or lost to a bug — are counted now,
 * through the same exactly-once transaction (counting.ts). Racing the stream or a dead-letter replay is
 * harmless: whoever sets the marker counts the item, the other finds it set. A parallel scan with a filter:
 * the table has no index of uncounted items, and a nightly read of it costs far less than one on every write.
 */
export async function sweepUncounted(before: string): Promise<Sweep> {
  const totals: Sweep = { found: 0, counted: 0, failed: 0 };
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db().send(
          new ScanCommand({
            TableName: tableName(),
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey: start,
            FilterExpression:
              'attribute_not_exists(countedAt) AND ((#type = :signature AND #status = :confirmed AND confirmedAt < :before) OR ' +
              '(#type = :endorsement AND #status = :approved AND decidedAt < :before))',
            ProjectionExpression: 'pk, sk, #type, #status, campaign, country, confirmedAt, id, #public',
            ExpressionAttributeNames: { '#type': 'type', '#status': 'status', '#public': 'public' },
            ExpressionAttributeValues: { ':signature': 'signature', ':confirmed': signatureStatus.confirmed, ':endorsement': 'endorsement', ':approved': endorsementStatus.approved, ':before': before },
          }),
        );
        const confirmations = (page.Items ?? []).flatMap((item) => confirmationOf(item) ?? []);
        if (confirmations.length) {
          const failed = await countConfirmations(confirmations);
          totals.found += confirmations.length;
          totals.failed += failed.length;
          totals.counted += confirmations.length - failed.length;
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  if (totals.found) logger.warn('uncounted confirmations found and counted', { ...totals, before });
  return totals;
}
