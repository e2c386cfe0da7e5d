import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { subscriberStatus, type SubscriberStatus } from '#shared/domain/statuses.ts';
import type { Subscriber } from '#shared/domain/subscription.ts';
import { keys } from './layout.ts';
import { MalformedItemError } from './items.ts';
import { decodeCursor, encodeCursor, type Page } from './pagination.ts';
import { db, tableName } from './table.ts';

/** What a count of subscribers needs of each: no address, no name, no key. */
export type SubscriberProfile = Pick<Subscriber, 'status' | 'locale' | 'countries' | 'topics' | 'urgent' | 'digest'>;

// Its own cursor scope: a cursor of the confirmed-subscribers index is a 400 here, and one of this scan a 400 there.
const scope = 'subscribers-every-status';
const subscriberKey = keys.subscriber('');
const statuses: readonly string[] = Object.values(subscriberStatus);

/**
 * One page of a Scan of the whole table, keeping subscribers of every status (the confirmed-subscribers index
 * holds confirmed ones only). `limit` is the number of items DynamoDB reads (and bills) before the filter, not
 * the number of subscribers returned: a Scan pays for every item of the table it passes over, whatever the
 * filter keeps, and stops at 1 MB read. The cursor is where the Scan stopped (DynamoDB's LastEvaluatedKey,
 * sealed), which may be an item the filter dropped: no subscriber is counted twice or missed across pages.
 */
export async function scanSubscriberProfiles(page: { limit: number; cursor?: string | undefined }): Promise<Page<SubscriberProfile>> {
  const result = await db().send(
    new ScanCommand({
      TableName: tableName(),
      FilterExpression: 'begins_with(pk, :prefix) AND sk = :sk',
      ProjectionExpression: '#status, locale, countries, topics, urgent, digest',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':prefix': subscriberKey.pk, ':sk': subscriberKey.sk },
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(scope, page.cursor),
    }),
  );
  return {
    items: (result.Items ?? []).map(toProfile),
    nextCursor: result.LastEvaluatedKey ? encodeCursor(scope, result.LastEvaluatedKey) : null,
  };
}

function toProfile(item: Record<string, unknown>): SubscriberProfile {
  if (!statuses.includes(item.status as string)) throw new MalformedItemError('subscriber', 'status');
  const texts = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  return {
    status: item.status as SubscriberStatus,
    ...(typeof item.locale === 'string' && item.locale !== '' ? { locale: item.locale } : {}),
    countries: texts(item.countries),
    topics: texts(item.topics),
    urgent: item.urgent !== false,
    digest: item.digest === 'none' ? 'none' : 'weekly',
  };
}
