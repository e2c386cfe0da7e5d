import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { limitKeys } from './layout.ts';
import { db, isConditionFailure, limitsTableName } from './table.ts';

/**
 * Each connector's request rate, shared by every concurrent invocation: one item per connector and second, in the
 * limits table, counting the requests started in it. The invariant: a second never hands out more than `perSecond`
 * requests, however many senders claim at once, since DynamoDB serialises the conditional updates of one item.
 */

/** Pace items outlive their second by an hour, then TTL deletes them. */
const keepSeconds = 3600;

/** Claims a request in second `second` (since the epoch): false when that second's requests are all taken. */
export async function claimConnectorRequest(connector: string, second: number, perSecond: number): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: limitsTableName(),
        Key: limitKeys.connectorPace(connector, second),
        UpdateExpression: 'SET sent = if_not_exists(sent, :zero) + :one, expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :slots',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':slots': perSecond, ':expires': second + 1 + keepSeconds },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
