import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '#shared/clock.ts';
import { db, limitsTableName } from './table.ts';
import { limitKeys } from './layout.ts';

/**
 * A fixed-window counter in the limits table (no stream: a counter moving is nobody else's business): one item
 * per rule, subject and window, expiring with it. A busy subject (a viral campaign) spreads its counter over
 * `shards` items, each allowed its share of the limit, so the limiter is never the hot row it protects against.
 */
export async function hit(rule: string, subject: string, limit: number, windowSeconds: number, shards = 1): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const nowSeconds = Math.floor(now().getTime() / 1000);
  const windowStart = nowSeconds - (nowSeconds % windowSeconds);
  const shard = shards > 1 ? Math.floor(Math.random() * shards) : 0;
  const result = await db().send(
    new UpdateCommand({
      TableName: limitsTableName(),
      Key: limitKeys.rateWindow(rule, subject, windowStart, shard),
      UpdateExpression: 'ADD hits :one SET expiresAt = :expires',
      ExpressionAttributeValues: { ':one': 1, ':expires': windowStart + windowSeconds + 60 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const hits = Number(result.Attributes?.hits ?? 0);
  return { allowed: hits <= Math.ceil(limit / shards), retryAfterSeconds: windowStart + windowSeconds - nowSeconds };
}
