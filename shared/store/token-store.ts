import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { hmac, sha256 } from '#shared/ids.ts';
import { db, isConditionFailure, keys, tableName } from './table.ts';

export const confirmationActions = ['signature', 'subscription', 'endorsement', 'erasure'] as const;
export type ConfirmationAction = (typeof confirmationActions)[number];

export interface ConfirmationToken {
  action: ConfirmationAction;
  subject: { pk: string; sk: string };
  expiresAt: string;
  mailedAt?: string;
}

/**
 * The n-th link for a subject is derived, not random: a redelivered stream record recreates the very same
 * token, so the mailer's work is idempotent. Only its hash is stored: the table alone cannot confirm anything.
 */
export function deriveToken(subjectPk: string, n: number): string {
  return hmac('confirm', `${subjectPk}#${n}`);
}

/**
 * Stores the token unless it exists; tells whether its mail was already sent. `issuedFor` names the request
 * the link is for (its item's `createdAt`): links are derived from the subject and a count, so a request made
 * again after the first one expired (and was deleted) derives the same link, and must find it fresh again —
 * unmailed, with a new expiry — rather than the old, spent one.
 */
export async function issueToken(
  token: string,
  action: ConfirmationAction,
  subject: { pk: string; sk: string },
  issuedFor?: string,
): Promise<{ mailed: boolean }> {
  const expires = new Date(now().getTime() + config().CONFIRMATION_TTL_DAYS * 86_400_000);
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.token(sha256(token)),
          type: 'token',
          action,
          subject,
          ...(issuedFor ? { issuedFor } : {}),
          expiresAtIso: expires.toISOString(),
          // Kept a month past expiry so a late click answers 410 (expired) rather than 404.
          expiresAt: Math.floor(expires.getTime() / 1000) + 30 * 86_400,
        },
        ConditionExpression: issuedFor ? 'attribute_not_exists(pk) OR issuedFor <> :issuedFor' : 'attribute_not_exists(pk)',
        ...(issuedFor ? { ExpressionAttributeValues: { ':issuedFor': issuedFor } } : {}),
      }),
    );
    return { mailed: false };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const existing = await db().send(new GetCommand({ TableName: tableName(), Key: keys.token(sha256(token)), ConsistentRead: true }));
    return { mailed: Boolean(existing.Item?.mailedAt) };
  }
}

export async function markTokenMailed(token: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.token(sha256(token)),
      UpdateExpression: 'SET mailedAt = :at',
      ExpressionAttributeValues: { ':at': now().toISOString() },
    }),
  );
}

export async function findToken(token: string): Promise<ConfirmationToken | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: keys.token(sha256(token)) }));
  const item = result.Item;
  if (!item) return undefined;
  return {
    action: item.action as ConfirmationAction,
    subject: item.subject as { pk: string; sk: string },
    expiresAt: item.expiresAtIso as string,
    ...(item.mailedAt ? { mailedAt: item.mailedAt as string } : {}),
  };
}
