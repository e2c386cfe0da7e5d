import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { hmac, sha256 } from '#shared/ids.ts';
import { tokenCodec, type ConfirmationAction, type ConfirmationToken, type TokenMail } from './items.ts';
import { db, isConditionFailure, keys, tableName } from './table.ts';

export { confirmationActions, type ConfirmationAction, type ConfirmationToken, type TokenMail } from './items.ts';

/**
 * A request's link is derived from its item and the request's own random nonce (`requestId`): a redelivered
 * stream record recreates the very same token, so the mailer's work is idempotent, while no two requests, not
 * even the same person's before and after an erasure, ever share a link. Only its hash is stored: the table
 * alone cannot confirm anything.
 */
export function deriveToken(subjectPk: string, requestId: string): string {
  return hmac('confirm', `${subjectPk}#${requestId}`);
}

/**
 * The item a token is mailed for, as the stream saw it: its `generation` binds the link to that item (an item
 * made again at the same key, after an expiry or an erasure, is not the link's), and its person index files
 * the token under the person, so erasure finds and deletes it.
 */
export interface TokenSubjectImage {
  generation?: unknown;
  gsi3pk?: unknown;
  gsi3sk?: unknown;
}

/** Stores the token unless it exists; tells what became of its mail if it does (a redelivered record). */
export async function issueToken(token: string, action: ConfirmationAction, subject: { pk: string; sk: string }, image: TokenSubjectImage = {}): Promise<{ mail: TokenMail }> {
  const issued = await putToken(tokenItem(token, action, subject, image));
  return { mail: issued ? undefined : await mailOf(token) };
}

/**
 * issueToken with the mail's lease (leaseTokenMail) taken in the same write, for the sender of the link: the
 * first delivery of a request's message, by far the most common, then costs one write instead of two, and each
 * write to a token also rewrites its person-index entry. A token that existed is left as it was, with what
 * became of its mail; the sender then leases it as before.
 */
export async function issueLeasedToken(
  token: string,
  action: ConfirmationAction,
  subject: { pk: string; sk: string },
  image: TokenSubjectImage,
  leaseSeconds: number,
): Promise<{ leased: true } | { leased: false; mail: TokenMail }> {
  const issued = await putToken({ ...tokenItem(token, action, subject, image), mailLeaseUntil: now().getTime() + leaseSeconds * 1000 });
  return issued ? { leased: true } : { leased: false, mail: await mailOf(token) };
}

function tokenItem(token: string, action: ConfirmationAction, subject: { pk: string; sk: string }, image: TokenSubjectImage): Record<string, unknown> {
  const expires = new Date(now().getTime() + config().CONFIRMATION_TTL_DAYS * 86_400_000);
  return {
    ...keys.token(sha256(token)),
    type: 'token',
    action,
    subject,
    ...(typeof image.generation === 'string' ? { issuedFor: image.generation } : {}),
    ...(typeof image.gsi3pk === 'string' && typeof image.gsi3sk === 'string' ? { gsi3pk: image.gsi3pk, gsi3sk: image.gsi3sk } : {}),
    expiresAtIso: expires.toISOString(),
    // Kept a month past expiry so a late click answers 410 (expired) rather than 404.
    expiresAt: Math.floor(expires.getTime() / 1000) + 30 * 86_400,
  };
}

/** True if the token was stored, false if it was there already. */
async function putToken(item: Record<string, unknown>): Promise<boolean> {
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return false;
  }
}

async function mailOf(token: string): Promise<TokenMail> {
  const existing = await db().send(new GetCommand({ TableName: tableName(), Key: keys.token(sha256(token)), ConsistentRead: true }));
  return existing.Item ? tokenCodec.decodeMail(existing.Item) : undefined;
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

/**
 * Takes the link's mail for one sender for `leaseSeconds`: two deliveries of one request (the router forwards at
 * least once) never both send it. Refused when its mail was decided (sent, withheld) or another sender holds it;
 * a sender that died leaves a lease that runs out, so the request's message, delivered again, takes it over.
 * Tells whether the mailbox's allowance was already spent for this link (by a send that was then throttled).
 */
export async function leaseTokenMail(token: string, leaseSeconds: number): Promise<{ leased: boolean; allowanceTaken: boolean }> {
  const at = now().getTime();
  try {
    const result = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.token(sha256(token)),
        UpdateExpression: 'SET mailLeaseUntil = :until',
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(mailedAt) AND attribute_not_exists(withheldAt) AND (attribute_not_exists(mailLeaseUntil) OR mailLeaseUntil < :now)',
        ExpressionAttributeValues: { ':until': at + leaseSeconds * 1000, ':now': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { leased: true, allowanceTaken: typeof result.Attributes?.allowanceTakenAt === 'string' };
  } catch (error) {
    if (isConditionFailure(error)) return { leased: false, allowanceTaken: false };
    throw error;
  }
}

/**
 * Gives the lease back after a send SES did not accept for now (throttled, paused): the next delivery takes it.
 * The mailbox's allowance was spent on this link before the send, so the release records it: a send tried again
 * does not spend it twice. (A sender that dies between spending it and sending leaves no such record, and the
 * next delivery spends it again: the cap then errs towards fewer mails, never more.)
 */
export async function releaseTokenMail(token: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.token(sha256(token)),
      UpdateExpression: 'REMOVE mailLeaseUntil SET allowanceTakenAt = if_not_exists(allowanceTakenAt, :at)',
      ExpressionAttributeValues: { ':at': now().toISOString() },
    }),
  );
}

/**
 * The link's mail was held back (suppressed address, mailbox cap) or refused for good by SES (`rejected`): a
 * redelivered request must not reconsider it (and spend the mailbox's cap again).
 */
export async function markTokenWithheld(token: string, reason: 'suppressed' | 'mailbox-cap' | 'rejected'): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.token(sha256(token)),
      UpdateExpression: 'SET withheldAt = :at, withheldFor = :reason',
      ExpressionAttributeValues: { ':at': now().toISOString(), ':reason': reason },
    }),
  );
}

export async function findToken(token: string): Promise<ConfirmationToken | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: keys.token(sha256(token)) }));
  return result.Item ? tokenCodec.decode(result.Item) : undefined;
}
