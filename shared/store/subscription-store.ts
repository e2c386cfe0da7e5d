import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import type { Subscriber, SubscriptionInput } from '#shared/domain/subscription.ts';
import { purposeKey } from '#shared/config.ts';
import { seal, unseal } from '#shared/ids.ts';
import { confirmAwaiting, recordAwaitingConfirmation, type ClickScope, type ConfirmOutcome, type RequestOutcome } from './awaiting-confirmation.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query-pages.ts';
import { emailKey, personIndex } from './signature-store.ts';
import { db, isConditionFailure, keys, tableName } from './table.ts';
import { subscriberStatus } from '#shared/domain/statuses.ts';
import { indexEntries, parse, partitions } from './layout.ts';
import { subscriberCodec, type StoredItem } from './items.ts';

export type SubscribeOutcome = RequestOutcome;

/**
 * One subscriber per mailbox. A new address waits for confirmation; an unconfirmed or unsubscribed one gets
 * a new link (re-subscribing always needs a fresh confirmation); a confirmed one is left as it is, so nobody
 * can change another person's preferences by knowing their address. The caller answers the same every time.
 * `confirmedBy` marks a subscription that a signature's confirmation link confirms (no second mail); a repeat
 * without it drops the mark, so the new link is mailed.
 */
export async function subscribe(input: SubscriptionInput, options: { confirmedBy?: { pk: string; sk: string } } = {}): Promise<SubscribeOutcome> {
  const key = keys.subscriber(emailKey(input.email));
  // Not yet confirmed, or unsubscribed: take the new preferences and mail a new link. A direct request is
  // confirmed by its own link: a `confirmedBy` left by an earlier signature would keep the mailer from sending it.
  return recordAwaitingConfirmation(
    key,
    { ...input, confirmedBy: options.confirmedBy, key: parse.subscriberEmailKey(key.pk), type: 'subscriber', ...personIndex(key.pk, input.email) },
    subscriberStatus.awaitingLink,
    { optional: ['name', 'locale', 'confirmedBy'], reopenFrom: subscriberStatus.unsubscribed },
  );
}

export async function confirmSubscription(key: { pk: string; sk: string }, scope: ClickScope = {}): Promise<ConfirmOutcome> {
  // gsi1 lists confirmed subscribers for the planners; unsubscribing removes them from it.
  const set = { confirmedAt: nowIso(), ...indexEntries.confirmedSubscriber(parse.subscriberEmailKey(key.pk)) };
  return (await confirmAwaiting(key, { from: subscriberStatus.awaitingLink, to: subscriberStatus.confirmed, set, ...scope })).outcome;
}

/** Immediate: the planners only see confirmed subscribers, and the sender checks again before each send. */
export async function unsubscribe(emailKey: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.subscriber(emailKey),
        UpdateExpression: 'SET #status = :unsubscribed, unsubscribedAt = :at REMOVE gsi1pk, gsi1sk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':unsubscribed': subscriberStatus.unsubscribed, ':at': nowIso() },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function findSubscriber(emailKey: string): Promise<(Subscriber & { email: string }) | undefined> {
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: keys.subscriber(emailKey), ConsistentRead: true }));
  return result.Item ? toSubscriber(result.Item) : undefined;
}

export function listConfirmedSubscribers(page: { limit: number; cursor?: string | undefined }): Promise<Page<Subscriber>> {
  return queryPage(
    { TableName: tableName(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': partitions.confirmedSubscribers } },
    { scope: 'subscribers', limit: page.limit, cursor: page.cursor, keyAttributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'], map: toSubscriber },
  );
}

const toSubscriber = (item: StoredItem) => subscriberCodec.decode(item);

/**
 * The unsubscribe link's token: the email key encrypted under the unsubscribe key (AES-256-GCM, random IV).
 * It needs no storage and works for every message ever sent to that address, yet each mail's link differs,
 * none shows the email key (which item keys carry), and none can be forged for another address.
 */
export function unsubscribeToken(emailKey: string): string {
  return seal(purposeKey('unsubscribe'), emailKey, 'unsubscribe');
}

export function emailKeyFromToken(token: string): string | undefined {
  if (token.length > 200) return undefined;
  const emailKey = unseal(purposeKey('unsubscribe'), token, 'unsubscribe');
  return emailKey && /^[A-Za-z0-9_-]{1,64}$/.test(emailKey) ? emailKey : undefined;
}
