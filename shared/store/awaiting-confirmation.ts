import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { db, isConditionFailure, tableName } from './table.ts';

export type RequestOutcome = 'recorded' | 'link-requested' | 'unchanged';

/**
 * Records an item that waits for its confirmation link (`status` = `awaiting`), once per key. A repeat while
 * it still waits asks for another link (bounded by MAX_CONFIRMATION_MAILS) and extends its expiry; any other
 * repeat changes nothing. The stream's confirmation mailer sends the n-th link for the n-th request.
 */
export async function recordAwaitingConfirmation(key: { pk: string; sk: string }, item: Record<string, unknown>, awaiting: string): Promise<RequestOutcome> {
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
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'ADD linkRequests :one SET expiresAt = :ttl',
        ConditionExpression: '#status = :awaiting AND linkRequests < :max',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':one': 1, ':awaiting': awaiting, ':max': config().MAX_CONFIRMATION_MAILS, ':ttl': expiresAt },
      }),
    );
    return 'link-requested';
  } catch (error) {
    if (isConditionFailure(error)) return 'unchanged';
    throw error;
  }
}
