import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { now } from '#shared/clock.ts';
import { hmac } from '#shared/ids.ts';
import { cancellationReasons, db, limitsTableName } from './table.ts';
import { limitKeys } from './layout.ts';

/**
 * An event's effect made once, however often the event is delivered, by receipts in the limits table (no stream:
 * a receipt is nobody else's business; TTL: it goes by itself). The invariant: for each of an event's names (its
 * id, its producer's idempotency key) at most one invocation holds a live claim at a time, and once one has
 * settled it, no invocation ever makes the effect again while the receipt lives.
 *
 * - `claimReceipts` takes every name at once, in one transaction: each receipt must be missing, or `taken` with
 *   a lease that ran out (its invocation died half-way, so nothing settled it). One name already settled, or
 *   held under a live lease, and nothing is taken.
 * - `settle` marks them `done` and keeps them a week: beyond EventBridge's 24 hours of retries and Lambda's
 *   6 hours, and beyond any redelivery an operator replays from a dead-letter queue within the week.
 * - `release` deletes them, and only while they are still this claim's (its token), so that the retry of an
 *   attempt that failed can claim them again; a release that does not happen leaves the lease to run out.
 *
 * A receipt's key is an HMAC of who sent the event and the name, under a key of its own: a producer's idempotency
 * key may be derived from an address, and the limits table never holds one.
 */

/** Longer than the consumer's timeout, so a live invocation's claim never runs out under it. */
export const leaseSeconds = 90;
/** How long a settled receipt answers "done". */
export const keptSeconds = 7 * 86_400;

export type ReceiptName = { kind: 'event-id' | 'idempotency-key'; value: string };

export type Claim =
  | { claimed: true; settle: (outcome: string) => Promise<void>; release: () => Promise<void> }
  /** `done`: settled before (a duplicate); `busy`: another invocation holds it now (try again later). */
  | { claimed: false; state: 'done' | 'busy' };

const receiptKey = (sender: string, name: ReceiptName) => limitKeys.eventReceipt(hmac('event-receipt', `${sender}\n${name.kind}\n${name.value}`).slice(0, 32));

export async function claimReceipts(sender: string, names: ReceiptName[]): Promise<Claim> {
  const keys = names.map((name) => receiptKey(sender, name));
  const token = randomUUID();
  const at = Math.floor(now().getTime() / 1000);
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: keys.map((Key) => ({
          Put: {
            TableName: limitsTableName(),
            Item: { ...Key, state: 'taken', token, leaseUntil: at + leaseSeconds, expiresAt: at + keptSeconds },
            ConditionExpression: 'attribute_not_exists(pk) OR (#state = :taken AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':taken': 'taken', ':now': at },
          },
        })),
      }),
    );
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (!reasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw error;
    return { claimed: false, state: (await anySettled(keys)) ? 'done' : 'busy' };
  }
  return {
    claimed: true,
    settle: (outcome) => settle(keys, token, outcome),
    release: () => release(keys, token),
  };
}

async function anySettled(keys: { pk: string; sk: string }[]): Promise<boolean> {
  const items = await Promise.all(keys.map((Key) => db().send(new GetCommand({ TableName: limitsTableName(), Key, ConsistentRead: true }))));
  return items.some(({ Item }) => Item?.state === 'done');
}

function settle(keys: { pk: string; sk: string }[], token: string, outcome: string): Promise<void> {
  const at = Math.floor(now().getTime() / 1000);
  return transactOnToken(keys, token, (Key) => ({
    Update: {
      TableName: limitsTableName(),
      Key,
      UpdateExpression: 'SET #state = :done, outcome = :outcome, expiresAt = :expires REMOVE leaseUntil, #token',
      ConditionExpression: '#token = :token',
      ExpressionAttributeNames: { '#state': 'state', '#token': 'token' },
      ExpressionAttributeValues: { ':done': 'done', ':outcome': outcome, ':expires': at + keptSeconds, ':token': token },
    },
  }));
}

function release(keys: { pk: string; sk: string }[], token: string): Promise<void> {
  return transactOnToken(keys, token, (Key) => ({
    Delete: { TableName: limitsTableName(), Key, ConditionExpression: '#token = :token', ExpressionAttributeNames: { '#token': 'token' }, ExpressionAttributeValues: { ':token': token } },
  }));
}

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** Writes every receipt of a claim at once, while they are all still the claim's (a run-out lease may be retaken). */
async function transactOnToken(keys: { pk: string; sk: string }[], token: string, item: (key: { pk: string; sk: string }) => TransactItem): Promise<void> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: keys.map(item) }));
  } catch (error) {
    if (cancellationReasons(error)?.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
      throw new Error(`The claim on an event's receipts (token ${token.slice(0, 8)}) was taken over: its lease ran out`, { cause: error });
    }
    throw error;
  }
}

/** What a receipt holds now (`state`, `outcome`), or undefined when there is none: for an operator's question, and tests. */
export async function receiptState(sender: string, name: ReceiptName): Promise<{ state: string; outcome?: string } | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: limitsTableName(), Key: receiptKey(sender, name), ConsistentRead: true }));
  return Item ? { state: String(Item.state), ...(Item.outcome ? { outcome: String(Item.outcome) } : {}) } : undefined;
}
