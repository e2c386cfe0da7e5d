import { BatchGetCommand, DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import type { BlockKind } from '#shared/domain/blocklist.ts';
import { allPages } from './query-pages.ts';
import { db, tableName } from './table.ts';

export { blockKinds, type BlockKind } from '#shared/domain/blocklist.ts';

export interface Block {
  kind: BlockKind;
  value: string;
  reason: string;
  at: string;
  by: string;
}

const key = (kind: BlockKind, value: string) => ({ pk: 'BLOCKLIST', sk: `${kind}#${value.toLowerCase()}` });

/** Blocklists are data, changed by operators through the API, and read on every submission. */
export async function isBlocked(entries: { kind: BlockKind; value: string | undefined }[]): Promise<boolean> {
  const keys = entries.filter((e) => e.value).map((e) => key(e.kind, e.value ?? ''));
  if (keys.length === 0) return false;
  const result = await db().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keys, ProjectionExpression: 'pk' } } }));
  return (result.Responses?.[tableName()] ?? []).length > 0;
}

export async function addBlock(block: Omit<Block, 'at'>): Promise<Block> {
  const entry = { ...block, value: block.value.toLowerCase(), at: nowIso() };
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...key(block.kind, block.value), type: 'block', ...entry } }));
  return entry;
}

export async function removeBlock(kind: BlockKind, value: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: key(kind, value) }));
}

export async function listBlocks(): Promise<Block[]> {
  const blocks: Block[] = [];
  for await (const page of allPages({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'BLOCKLIST' } })) {
    for (const item of page.Items ?? []) blocks.push({ kind: item.kind, value: item.value, reason: item.reason, at: item.at, by: item.by } as Block);
  }
  return blocks;
}
