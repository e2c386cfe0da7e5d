import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, limitsTableName } from './table.ts';
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
  const first = Math.max(0, from);
  // Every slot of this window has passed: nothing to claim (an absent item would otherwise take slot `first`).
  if (first >= slots) return undefined;
  // Windows are numbered from the epoch in their own length, which the key names too: senders of another rate
  // (a changed setting, mid-deploy) never count in the same item.
  const expires = Math.ceil(((window + 1) * windowMs) / 1000) + keepSeconds;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const result = await db().send(
        new UpdateCommand({
          TableName: limitsTableName(),
          Key: key,
          UpdateExpression: 'SET sent = if_not_exists(sent, :first) + :one, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(sent) OR (sent < :slots AND sent >= :first)',
          ExpressionAttributeValues: { ':first': first, ':one': 1, ':slots': slots, ':expires': expires },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.sent) - 1;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // Either full, or behind the clock: moving the count up tells which (it fails when the count is not behind).
    if (!(await skipPastSlots(key, first, expires))) return undefined;
  }
  return undefined;
}

async function skipPastSlots(key: { pk: string; sk: string }, first: number, expires: number): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: limitsTableName(),
        Key: key,
        UpdateExpression: 'SET sent = :first, expiresAt = :expires',
        ConditionExpression: 'sent < :first',
        ExpressionAttributeValues: { ':first': first, ':expires': expires },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
