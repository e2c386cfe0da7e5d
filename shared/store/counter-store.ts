import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import type { Counts } from '#shared/domain/campaign.ts';
import { conflict, notFound } from '#shared/domain/errors.ts';
import { newId } from '#shared/ids.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query-pages.ts';
import { cancellationReasons, db, isConditionFailure, keys, tableName } from './table.ts';
import { offsetChangePrefix } from './layout.ts';
import { counterCodec, offsetChangeCodec, type CounterItem } from './items.ts';

function toCounts(item: CounterItem, goal: number | undefined): Counts {
  const { signatures, offset, endorsements, byCountry } = item;
  return { signatures, offset, total: signatures + offset, endorsements, goal: goal ?? null, byCountry };
}

export async function getCounts(slug: string, goal: number | undefined): Promise<Counts> {
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: keys.counter(slug) }));
  if (!result.Item) throw notFound(`There is no campaign "${slug}".`);
  return toCounts(counterCodec.decode(result.Item), goal);
}

export interface OffsetChange {
  offset: number;
  reason: string;
}

/**
 * The offset and its audit record change in one transaction, conditioned on the offset read, so two
 * operators editing at once cannot leave an audit trail that does not add up.
 */
export async function setOffset(slug: string, change: OffsetChange, operatorId: string, goal: number | undefined): Promise<Counts> {
  const current = await db().send(new GetCommand({ TableName: tableName(), Key: keys.counter(slug), ConsistentRead: true }));
  if (!current.Item) throw notFound(`There is no campaign "${slug}".`);
  const previous = counterCodec.decode(current.Item).offset;
  const at = nowIso();
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.counter(slug),
              UpdateExpression: 'SET #offset = :new',
              ConditionExpression: '#offset = :old OR attribute_not_exists(#offset)',
              ExpressionAttributeNames: { '#offset': 'offset' },
              ExpressionAttributeValues: { ':new': change.offset, ':old': previous },
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.offsetChange(slug, at, newId()),
                type: 'offset-change',
                campaign: slug,
                at,
                by: operatorId,
                previous,
                offset: change.offset,
                reason: change.reason,
              },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (cancellationReasons(error) !== undefined) {
      throw conflict('concurrent-change', 'The offset changed meanwhile; read it again and retry.');
    }
    throw error;
  }
  return getCounts(slug, goal);
}

export interface OffsetAudit {
  at: string;
  by: string;
  previous: number;
  offset: number;
  reason: string;
}

export function listOffsetChanges(slug: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<OffsetAudit>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.counter(slug).pk, ':prefix': offsetChangePrefix },
      ScanIndexForward: false,
    },
    {
      scope: `offsets:${slug}`,
      limit: page.limit,
      cursor: page.cursor,
      keyAttributes: ['pk', 'sk'],
      map: offsetChangeCodec.decode,
    },
  );
}

/**
 * Claims a milestone on the counter, once: the claim is a conditional add to the counter's `milestones`
 * set. Returns false when it was already claimed (by a redelivery or a concurrent batch).
 */
export async function claimMilestone(slug: string, threshold: number): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.counter(slug),
        UpdateExpression: 'ADD milestones :set',
        ConditionExpression: 'attribute_exists(pk) AND NOT contains(milestones, :threshold)',
        ExpressionAttributeValues: { ':set': new Set([threshold]), ':threshold': threshold },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
