import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, itemOfConditionFailure, limitsTableName } from './table.ts';
import { limitKeys } from './layout.ts';

/** Pace items outlive their window by an hour: enough for any clock skew between senders, then TTL deletes them. */
const keepSeconds = 3600;

/**
 * Claims the next free slot of one pacing window (the `window`-th of `windowMs` since the epoch): the window's item counts the slots claimed so far (`sent`),
 * and a claim is one conditional update that adds one while the count is below `slots`. However many senders
 * claim at once, DynamoDB serialises the updates of one item, so a window never hands out more than `slots`.
 *
 * `from` is the first slot a claim may take: slots are points in time (slot k of a window is sent k/slots of the
 * way through it), and a slot whose time has passed must stay unused, or a late burst at the end of one window and
 * the start of the next would put more than `slots` sends in one window's length. A count left behind the clock
 * (nobody claimed for a while) is first moved up to `from`, which only ever raises it.
 *
 * Returns the slot's index, or undefined when the window is full.
 */
export async function claimPaceSlot(
  window: number,
  windowMs: number,
  slots: number,
  from: number,
  // The account-wide sending pace unless another pace (a connector's) is named.
  key: { pk: string; sk: string } = limitKeys.sendPace(windowMs, window),
): Promise<number | undefined> {
  return (await claimPaceSlots(window, windowMs, slots, from, 1, key))?.first;
}

/** Consecutive slots of one window: `first`, `first + 1`, … `first + count - 1`. */
export interface SlotRange {
  first: number;
  count: number;
}

/** Tries of a claim that meets other claims on the same item before it gives the window up. */
const claimAttempts = 6;

/**
 * Claims up to `wanted` consecutive slots of one window in one write, as claimPaceSlot claims one: a sender with a
 * batch of mail takes its batch's slots in one round trip instead of one per mail. The invariant is claimPaceSlot's:
 * the window's count only ever rises, each claim takes the slots from the count (or `from`, if later) up to the new
 * count, and the count never passes `slots`; so ranges never overlap, never start before `from`, and a window never
 * hands out more than `slots`, however many senders claim at once and however many slots each asks for.
 *
 * The first try assumes room for all it asks (one conditional update); when that fails, DynamoDB answers the count
 * as it stood, and the claim takes what is left (fewer than asked when the window is nearly full) on the condition
 * that the count is still that one. Returns the range, or undefined when the window has no slot left from `from`.
 */
export async function claimPaceSlots(
  window: number,
  windowMs: number,
  slots: number,
  from: number,
  wanted: number,
  key: { pk: string; sk: string } = limitKeys.sendPace(windowMs, window),
): Promise<SlotRange | undefined> {
  const first = Math.max(0, from);
  // Every slot of this window has passed (an absent item would otherwise take slot `first`), or none was asked for.
  if (first >= slots || wanted < 1) return undefined;
  // Windows are numbered from the epoch in their own length, which the key names too: senders of another rate
  // (a changed setting, mid-deploy) never count in the same item.
  const expires = Math.ceil(((window + 1) * windowMs) / 1000) + keepSeconds;
  let seen: number | undefined;
  for (let attempt = 0; attempt < claimAttempts; attempt++) {
    const start = seen === undefined ? first : Math.max(seen, first);
    const count = Math.min(Math.floor(wanted), slots - start);
    if (count < 1) return undefined;
    try {
      if (seen === undefined) return await claimFromAnyCount(key, first, count, slots, expires);
      return await claimFromCount(key, seen, start, count, expires);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The count as it stood when the condition failed.
      const stored = Number(itemOfConditionFailure(error)?.sent);
      seen = Number.isFinite(stored) ? stored : undefined;
    }
  }
  return undefined;
}

/** The usual case, in one write: a count at or past `first` with room for `count` more (or no item yet). */
async function claimFromAnyCount(key: { pk: string; sk: string }, first: number, count: number, slots: number, expires: number): Promise<SlotRange> {
  const result = await db().send(
    new UpdateCommand({
      TableName: limitsTableName(),
      Key: key,
      UpdateExpression: 'SET sent = if_not_exists(sent, :first) + :count, expiresAt = :expires',
      ConditionExpression: 'attribute_not_exists(sent) OR (sent <= :last AND sent >= :first)',
      ExpressionAttributeValues: { ':first': first, ':count': count, ':last': slots - count, ':expires': expires },
      ReturnValues: 'UPDATED_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
  );
  return { first: Number(result.Attributes?.sent) - count, count };
}

/** After a failed first try: from the count read back (or `from`, when it is behind the clock), if nobody moved it since. */
async function claimFromCount(key: { pk: string; sk: string }, seen: number, start: number, count: number, expires: number): Promise<SlotRange> {
  await db().send(
    new UpdateCommand({
      TableName: limitsTableName(),
      Key: key,
      UpdateExpression: 'SET sent = :to, expiresAt = :expires',
      ConditionExpression: 'sent = :seen',
      ExpressionAttributeValues: { ':to': start + count, ':seen': seen, ':expires': expires },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
  );
  return { first: start, count };
}
