import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { mailboxIdentity } from '#shared/domain/email-address.ts';
import { hmac } from '#shared/ids.ts';
import { db, isConditionFailure, limitsTableName } from './table.ts';
import { limitKeys } from './layout.ts';

/**
 * Confirmation mails one mailbox may receive, across every action (signatures, endorsements, subscriptions,
 * erasure) and every campaign: at most MAILBOX_MAILS_PER_HOUR in a clock hour and MAILBOX_MAILS_PER_DAY in a
 * UTC day. Whoever knows an address can ask for links, but cannot turn our mail into a flood; the caps reset
 * with time, so the owner is never locked out for good (and any link they already received confirms their
 * newest request).
 *
 * One item per mailbox and day holds the day's count and one count per hour, taken together in one
 * conditional update: a mail is allowed only when both stay within their caps, and a refused one counts nowhere.
 * The key is an HMAC of the folded address under a key of its own, and the item expires a day after its day. It
 * lives in the limits table, which has no stream: counting a mail is nothing a stream reader needs to see.
 */
const allowanceKey = (address: string, day: string) => limitKeys.mailboxAllowance(hmac('mailbox', mailboxIdentity(address)), day);

/**
 * The allowance items that may still exist for an address, for erasure: each expires two days after its day
 * begins, and DynamoDB's TTL may take a few days more to delete it.
 */
export function mailboxAllowanceKeys(address: string, at = now()): { pk: string; sk: string }[] {
  return Array.from({ length: 5 }, (_, back) => allowanceKey(address, new Date(at.getTime() - back * 86_400_000).toISOString().slice(0, 10)));
}

export async function takeMailboxAllowance(address: string): Promise<boolean> {
  const at = now();
  const day = at.toISOString().slice(0, 10);
  const hour = `h${at.toISOString().slice(11, 13)}`;
  const { MAILBOX_MAILS_PER_HOUR: perHour, MAILBOX_MAILS_PER_DAY: perDay } = config();
  try {
    await db().send(
      new UpdateCommand({
        TableName: limitsTableName(),
        Key: allowanceKey(address, day),
        UpdateExpression: 'SET #day = if_not_exists(#day, :zero) + :one, #hour = if_not_exists(#hour, :zero) + :one, expiresAt = :expires',
        ConditionExpression: '(attribute_not_exists(#day) OR #day < :perDay) AND (attribute_not_exists(#hour) OR #hour < :perHour)',
        ExpressionAttributeNames: { '#day': 'mails', '#hour': hour },
        ExpressionAttributeValues: {
          ':zero': 0,
          ':one': 1,
          ':perDay': perDay,
          ':perHour': perHour,
          ':expires': Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + 2 * 86_400,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
