import { randomBytes } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { db, isConditionFailure, itemOfConditionFailure, tableName } from './table.ts';

/**
 * The rules of a request that waits for its confirmation link, as the address's owner must see them:
 *
 * - The newest request decides. A repeat while the item waits replaces every field with the new request's
 *   (fields it leaves out are removed), so someone who signed first with a chosen name cannot make the owner's
 *   own click publish it. Each request gets a fresh random `requestId`; its link is derived from it.
 * - Any of the person's still-valid links confirms the item as it stands, and the confirm page shows that. A
 *   click from the page names the `requestId` it showed, so a request made after the page was opened is never
 *   confirmed in its place.
 * - Nothing here limits mail: the confirmation mailer caps mails per mailbox per hour and day, which resets with
 *   time, so a flood of requests can neither lock the owner out nor fill their inbox.
 * - An item's `generation` is its first request's id: links are bound to it, so an item made again at the same
 *   key (after an expiry or an erasure) is never confirmed by a link mailed for the one before.
 * - Every path is one round trip (new, waiting, confirmed, reopened alike), so response times do not tell
 *   whether an address is known.
 */
export type RequestOutcome = 'recorded' | 'link-requested' | 'unchanged';
export type ConfirmOutcome = 'confirmed' | 'already-confirmed' | 'missing' | 'changed';

export interface RequestOptions {
  /** Optional attributes the request may leave out: removed on a repeat that does not name them. */
  optional?: readonly string[];
  /** Set only when the item is first written (an id, say): a repeat keeps the first value. */
  once?: Record<string, unknown>;
  /**
   * A status from which a repeat opens the request again (an unsubscribed subscriber, a completed erasure):
   * it waits for a link once more.
   */
  reopenFrom?: string;
}

/** A request's own nonce: links derive from it, so no two requests, even of one person, share a link. */
export function newRequestId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Records (or replaces) an item that waits for its confirmation link, in one conditional update: written when
 * new, replaced when still waiting (or in `reopenFrom`), left alone in any other status (confirmed).
 */
export async function recordAwaitingConfirmation(
  key: { pk: string; sk: string },
  fields: Record<string, unknown>,
  awaiting: string,
  options: RequestOptions = {},
): Promise<RequestOutcome> {
  const at = now();
  // Unconfirmed items expire (DynamoDB TTL); confirming removes the attribute.
  const expiresAt = Math.floor(at.getTime() / 1000) + config().CONFIRMATION_TTL_DAYS * 86_400;
  const given = Object.entries(fields).filter(([, value]) => value !== undefined);
  const cleared = (options.optional ?? []).filter((name) => fields[name] === undefined);
  const once = Object.entries(options.once ?? {});
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = {
    ':awaiting': awaiting,
    ':request': newRequestId(),
    ':at': at.toISOString(),
    ':ttl': expiresAt,
    ':zero': 0,
    ':one': 1,
  };
  const set = ['#status = :awaiting', 'requestId = :request', 'requestedAt = :at', 'createdAt = if_not_exists(createdAt, :at)', 'generation = if_not_exists(generation, :request)', 'expiresAt = :ttl', 'linkRequests = if_not_exists(linkRequests, :zero) + :one'];
  given.forEach(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:f${i}`] = value;
    set.push(`#f${i} = :f${i}`);
  });
  once.forEach(([name, value], i) => {
    names[`#o${i}`] = name;
    values[`:o${i}`] = value;
    set.push(`#o${i} = if_not_exists(#o${i}, :o${i})`);
  });
  cleared.forEach((name, i) => (names[`#x${i}`] = name));
  let condition = 'attribute_not_exists(pk) OR #status = :awaiting';
  if (options.reopenFrom !== undefined) {
    condition += ' OR #status = :reopenFrom';
    values[':reopenFrom'] = options.reopenFrom;
  }
  try {
    const result = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET ${set.join(', ')}${cleared.length ? ` REMOVE ${cleared.map((_, i) => `#x${i}`).join(', ')}` : ''}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        // Only to tell a new item from a repeat: the old item's status is all that is read.
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    return result.Attributes?.status === undefined ? 'recorded' : 'link-requested';
  } catch (error) {
    if (isConditionFailure(error)) return 'unchanged';
    throw error;
  }
}

/** Which request a click may confirm. */
export interface ClickScope {
  /** The request the confirm page showed: a newer one is not confirmed in its place. */
  requestId?: string | undefined;
  /** The item the link was mailed for (its `generation`): a later item at the same key is not the link's. */
  issuedFor?: string | undefined;
}

/** What a click did, and the item as it now stands (none when it is missing). */
export interface Confirmation {
  outcome: ConfirmOutcome;
  item: Record<string, unknown> | undefined;
}

/**
 * Confirms an item waiting in the `from` status: it moves to `to` with the `set` fields and stops expiring.
 * With `requestId`, only that request is confirmed: a newer one (made after the confirm page was shown)
 * answers `changed` and confirms nothing. With `issuedFor`, only the item the link was mailed for: an item
 * made again at the same key after that one was deleted is `missing` to an old link. One round trip whatever happened: a failed condition returns the
 * item as it was, which tells a second click (or an earlier link of the same person) from a changed request
 * and from an item that no longer exists.
 */
export async function confirmAwaiting(
  key: { pk: string; sk: string },
  change: { from: string; to: string; set?: Record<string, unknown> } & ClickScope,
): Promise<Confirmation> {
  const fields = Object.entries(change.set ?? {});
  const pinned = change.requestId !== undefined;
  const bound = change.issuedFor !== undefined;
  const condition = ['#status = :from', ...(pinned ? ['requestId = :request'] : []), ...(bound ? ['generation = :issuedFor'] : [])].join(' AND ');
  try {
    const result = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET ${['#status = :to', ...fields.map((_, i) => `#s${i} = :s${i}`)].join(', ')} REMOVE expiresAt`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(fields.map(([name], i) => [`#s${i}`, name])) },
        ExpressionAttributeValues: {
          ':from': change.from,
          ':to': change.to,
          ...(pinned ? { ':request': change.requestId } : {}),
          ...(bound ? { ':issuedFor': change.issuedFor } : {}),
          ...Object.fromEntries(fields.map(([, value], i) => [`:s${i}`, value])),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { outcome: 'confirmed', item: result.Attributes };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const item = itemOfConditionFailure(error);
    if (!item) return { outcome: 'missing', item: undefined };
    // An item made after the link's own item was deleted (expired, erased): the link never belonged to it.
    if (!isLinksItem(item, change.issuedFor)) return { outcome: 'missing', item: undefined };
    return { outcome: item.status === change.from ? 'changed' : 'already-confirmed', item };
  }
}

/**
 * The request as it stands, for the confirm page to show what a click would confirm; none when it is gone or
 * is not the item the link (`issuedFor`) was mailed for.
 */
export async function findRequest(key: { pk: string; sk: string }, issuedFor?: string): Promise<Record<string, unknown> | undefined> {
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return result.Item && isLinksItem(result.Item, issuedFor) ? result.Item : undefined;
}

/** Whether an item is the one a link was mailed for (any item, for a link that names none). */
function isLinksItem(item: Record<string, unknown>, issuedFor: string | undefined): boolean {
  return issuedFor === undefined || item.generation === issuedFor;
}
