import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import type { Subscriber, SubscriptionInput, SubscriptionStatus } from '#shared/domain/subscription.ts';
import { hmac } from '#shared/ids.ts';
import { confirmAwaiting, recordAwaitingConfirmation, type ConfirmOutcome, type RequestOutcome } from './awaiting-confirmation.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query-pages.ts';
import { emailKey, personIndex } from './signature-store.ts';
import { db, isConditionFailure, keys, tableName } from './table.ts';

export type SubscribeOutcome = RequestOutcome;

/**
 * One subscriber per mailbox. A new address waits for confirmation; an unconfirmed or unsubscribed one gets
 * a new link (re-subscribing always needs a fresh confirmation); a confirmed one is left as it is, so nobody
 * can change another person's preferences by knowing their address. The caller answers the same every time.
 * `confirmedBy` marks a subscription that a signature's confirmation link confirms (no second mail); a repeat
 * without it drops the mark, so the new link is mailed.
 */
export async function subscribe(input: SubscriptionInput, options: { confirmedBy?: { pk: string; sk: string } } = {}): Promise<SubscribeOutcome> {
  const subscriberKey = emailKey(input.email);
  const key = keys.subscriber(subscriberKey);
  const preferences = { ...input, ...(options.confirmedBy ? { confirmedBy: options.confirmedBy } : {}) };
  // Not yet confirmed, or unsubscribed: take the new preferences and mail a new link. A direct request is
  // confirmed by its own link: a `confirmedBy` left by an earlier signature would keep the mailer from sending it.
  return recordAwaitingConfirmation(key, { ...preferences, key: subscriberKey, type: 'subscriber', ...personIndex(key.pk, input.email) }, 'unconfirmed', {
    refresh: preferences,
    remove: options.confirmedBy ? [] : ['confirmedBy'],
    reopenFrom: 'unsubscribed',
  });
}

export async function confirmSubscription(key: { pk: string; sk: string }): Promise<ConfirmOutcome> {
  const subscriberKey = key.pk.slice('SUBSCRIBER#'.length);
  // gsi1 lists confirmed subscribers for the planners; unsubscribing removes them from it.
  const set = { confirmedAt: nowIso(), gsi1pk: 'SUBSCRIBERS#confirmed', gsi1sk: subscriberKey };
  return (await confirmAwaiting(key, { from: 'unconfirmed', to: 'confirmed', set })).outcome;
}

/** Immediate: the planners only see confirmed subscribers, and the sender checks again before each send. */
export async function unsubscribe(subscriberKey: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.subscriber(subscriberKey),
        UpdateExpression: 'SET #status = :unsubscribed, unsubscribedAt = :at REMOVE gsi1pk, gsi1sk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':unsubscribed': 'unsubscribed', ':at': nowIso() },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function findSubscriber(subscriberKey: string): Promise<(Subscriber & { email: string }) | undefined> {
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: keys.subscriber(subscriberKey), ConsistentRead: true }));
  return result.Item ? toSubscriber(result.Item) : undefined;
}

export function listConfirmedSubscribers(page: { limit: number; cursor?: string | undefined }): Promise<Page<Subscriber>> {
  return queryPage(
    { TableName: tableName(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': 'SUBSCRIBERS#confirmed' } },
    { scope: 'subscribers', limit: page.limit, cursor: page.cursor, keyAttributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'], map: toSubscriber },
  );
}

function toSubscriber(item: Record<string, unknown>): Subscriber {
  return {
    key: String(item.key),
    email: String(item.email ?? ''),
    ...(item.name ? { name: String(item.name) } : {}),
    ...(item.locale ? { locale: String(item.locale) } : {}),
    urgent: item.urgent !== false,
    digest: item.digest === 'none' ? 'none' : 'weekly',
    countries: (item.countries as string[] | undefined) ?? [],
    topics: (item.topics as string[] | undefined) ?? [],
    status: item.status as SubscriptionStatus,
  };
}

/**
 * The unsubscribe link's token: the subscriber key plus an HMAC of it. It needs no storage, works for every
 * message ever sent to that address, and cannot be forged for another address.
 */
export function unsubscribeToken(subscriberKey: string): string {
  return `${subscriberKey}.${hmac('unsubscribe', subscriberKey).slice(0, 22)}`;
}

export function subscriberKeyFromToken(token: string): string | undefined {
  const [subscriberKey, signature, extra] = token.split('.');
  if (!subscriberKey || !signature || extra !== undefined) return undefined;
  return hmac('unsubscribe', subscriberKey).slice(0, 22) === signature ? subscriberKey : undefined;
}
