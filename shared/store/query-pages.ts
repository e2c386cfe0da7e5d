import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor, type Page } from './pagination.ts';
import { db } from './table.ts';

/**
 * A page of exactly `limit` items (fewer only at the end), even with a FilterExpression, whose
 * cursor is the last *returned* item's key: no item repeats or goes missing between pages.
 */
export async function queryPage<T>(
  input: QueryCommandInput,
  options: { scope: string; limit: number; cursor: string | undefined; keyAttributes: string[]; map: (item: Record<string, unknown>) => T },
): Promise<Page<T>> {
  const items: Record<string, unknown>[] = [];
  let startKey = decodeCursor(options.scope, options.cursor);
  let exhausted = false;
  while (items.length < options.limit && !exhausted) {
    const result = await db().send(
      new QueryCommand({ ...input, ExclusiveStartKey: startKey, Limit: options.limit - items.length + (input.FilterExpression ? 25 : 0) }),
    );
    for (const item of result.Items ?? []) {
      if (items.length < options.limit) items.push(item);
    }
    startKey = result.LastEvaluatedKey;
    exhausted = !startKey;
  }
  const last = items.at(-1);
  // More may follow if we stopped early or DynamoDB said so; an extra empty page is cheaper than a look-ahead query.
  const more = last !== undefined && (!exhausted || items.length === options.limit);
  const nextCursor =
    more && last ? encodeCursor(options.scope, Object.fromEntries(options.keyAttributes.map((k) => [k, last[k]]))) : null;
  return { items: items.map(options.map), nextCursor };
}

/** Every page of a query, in order, for jobs that must see all of it (recounts, erasure, exports). */
export async function* allPages(input: QueryCommandInput): AsyncGenerator<QueryCommandOutput> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield page;
    start = page.LastEvaluatedKey;
  } while (start);
}
