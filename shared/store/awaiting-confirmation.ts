import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { now } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { db, isConditionFailure, tableName } from './table.ts';

export type RequestOutcome = 'recorded' | 'link-requested' | 'unchanged';
export type ConfirmOutcome = 'confirmed' | 'already-confirmed' | 'missing';

export interface RepeatOptions {
  /** Fields a repeat takes from the new request (the person's latest wishes); undefined ones are left as they are. */
  refresh?: Record<string, unknown>;
  /** Attributes a repeat drops. */
  remove?: string[];
  /**
   * A status from which a repeat opens the request again (an unsubscribed subscriber, a completed erasure):
   * it waits for a link once more, with MAX_CONFIRMATION_MAILS links of its own.
   */
  reopenFrom?: string;
}

/**
 * Records an item that waits for its confirmation link (`status` = `awaiting`), once per key. A repeat while
 * it still waits asks for another link (bounded by MAX_CONFIRMATION_MAILS) and extends its expiry; a repeat
 * in the `reopenFrom` status waits again; any other repeat changes nothing. The stream's confirmation mailer
 * sends the n-th link for the n-th request.
 */
export async function recordAwaitingConfirmation(
  key: { pk: string; sk: string },
  item: Record<string, unknown>,
  awaiting: string,
  options: RepeatOptions = {},
): Promise<RequestOutcome> {
  const at = now();
  // Unconfirmed items expire (DynamoDB TTL); confirming removes the attribute.
  const expiresAt = Math.floor(at.getTime() / 1000) + config().CONFIRMATION_TTL_DAYS * 86_400;
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key, ...item, status: awaiting, linkRequests: 1, createdAt: at.toISOString(), expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return 'recorded';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const refreshed = Object.entries(options.refresh ?? {}).filter(([, value]) => value !== undefined);
  const repeat = (set: string[], condition: string, values: Record<string, unknown>) =>
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: [
        `SET ${[...refreshed.map((_, i) => `#r${i} = :r${i}`), 'expiresAt = :ttl', ...set].join(', ')}`,
        'ADD linkRequests :one',
        ...(options.remove?.length ? [`REMOVE ${options.remove.map((_, i) => `#x${i}`).join(', ')}`] : []),
      ].join(' '),
      ConditionExpression: condition,
      ExpressionAttributeNames: {
        '#status': 'status',
        ...Object.fromEntries(refreshed.map(([name], i) => [`#r${i}`, name])),
        ...Object.fromEntries((options.remove ?? []).map((name, i) => [`#x${i}`, name])),
      },
      ExpressionAttributeValues: {
        ...Object.fromEntries(refreshed.map(([, value], i) => [`:r${i}`, value])),
        ':ttl': expiresAt,
        ':one': 1,
        ':max': config().MAX_CONFIRMATION_MAILS,
        ...values,
      },
    });
  try {
    // linkLimit is set when a request is reopened: its links go on numbering from the earlier ones.
    await db().send(repeat([], '#status = :awaiting AND (linkRequests < :max OR linkRequests < linkLimit)', { ':awaiting': awaiting }));
    return 'link-requested';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  if (options.reopenFrom === undefined) return 'unchanged';
  try {
    // Link numbers keep counting (each derives its token, and the earlier tokens were mailed); the bound on
    // mails starts again from here.
    await db().send(repeat(['#status = :awaiting', 'linkLimit = linkRequests + :max'], '#status = :reopenFrom', { ':awaiting': awaiting, ':reopenFrom': options.reopenFrom }));
    return 'link-requested';
  } catch (error) {
    if (isConditionFailure(error)) return 'unchanged';
    throw error;
  }
}

/** What a click did, and the item as it now stands (none when it is missing). */
export interface Confirmation {
  outcome: ConfirmOutcome;
  item: Record<string, unknown> | undefined;
}

/**
 * Confirms an item waiting in the `from` status: it moves to `to` with the `set` fields and stops expiring.
 * One round trip whatever happened: a failed condition returns the item as it was, which tells a second
 * click (or an earlier link of the same person) from an item that no longer exists.
 */
export async function confirmAwaiting(
  key: { pk: string; sk: string },
  change: { from: string; to: string; set?: Record<string, unknown> },
): Promise<Confirmation> {
  const fields = Object.entries(change.set ?? {});
  try {
    const result = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET ${['#status = :to', ...fields.map((_, i) => `#s${i} = :s${i}`)].join(', ')} REMOVE expiresAt`,
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(fields.map(([name], i) => [`#s${i}`, name])) },
        ExpressionAttributeValues: { ':from': change.from, ':to': change.to, ...Object.fromEntries(fields.map(([, value], i) => [`:s${i}`, value])) },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { outcome: 'confirmed', item: result.Attributes };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // The document client leaves the exception's item in DynamoDB's own format.
    const old = (error as { Item?: Record<string, AttributeValue> }).Item;
    return old ? { outcome: 'already-confirmed', item: unmarshall(old) } : { outcome: 'missing', item: undefined };
  }
}
