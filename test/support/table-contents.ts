import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { db, limitsTableName, tableName } from '#shared/store/table.ts';

export type Key = { pk: string; sk: string };

/** One item of the main table, read consistently (undefined when there is none). */
export async function item(key: Key) {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
}

/** Both tables, whole: the main one and the limits table (what a refused request must leave as it was). */
export async function scanAll(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (const table of [tableName(), limitsTableName()]) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db().send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return items;
}
