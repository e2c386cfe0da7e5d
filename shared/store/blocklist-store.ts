import { BatchGetCommand, DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import { blockableSuffixes, canonicalBlockValue, canonicalDomain, type BlockKind } from '#shared/domain/blocklist.ts';
import { IpRangeIndex, parseIp, parseIpRange } from '#shared/domain/ip-address.ts';
import { logger } from '#shared/observability.ts';
import { allPages } from './query-pages.ts';
import { blockCodec, type Block } from './items.ts';
import { db, tableName } from './table.ts';
import { blocklistPartition, keys } from './layout.ts';

export { blockKinds, type BlockKind } from '#shared/domain/blocklist.ts';

export type { Block } from './items.ts';

/**
 * Blocklists are data, changed by operators through the API and read on every public submission, so the
 * check must stay cheap however long the lists grow:
 *
 * - An email domain blocks its subdomains. Each entry is an item keyed by its canonical name, and a
 *   submission reads the keys of its domain and of each parent (`mail.evil.example`, `evil.example`) in
 *   one BatchGet: a handful of keys, never the list, and a new entry counts from the next request.
 * - IP entries are addresses and CIDR ranges, which no key lookup can match without one key per prefix
 *   length (129 for IPv6). Each function container keeps a snapshot of the IP entries for at most
 *   `ipSnapshotSeconds`, indexed by prefix length (one set lookup per length in use), and reloads it
 *   with one paged Query. So a submission costs no read for IPs at all, and a new or removed IP entry takes
 *   effect within a minute everywhere (at once in the container that made the change, which is every
 *   container locally, where one process runs all handlers).
 */
const ipSnapshotSeconds = 60;

const partition = blocklistPartition;
const key = (kind: BlockKind, value: string) => keys.block(kind, value);

export async function isBlocked(submission: { ip?: string | undefined; emailDomain?: string | undefined }): Promise<boolean> {
  const [ipBlocked, domainBlocked] = await Promise.all([ipIsBlocked(submission.ip), domainIsBlocked(submission.emailDomain)]);
  return ipBlocked || domainBlocked;
}

export async function addBlock(block: Omit<Block, 'at'>): Promise<Block> {
  const entry = { ...block, value: canonical(block.kind, block.value), at: nowIso() };
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...key(entry.kind, entry.value), type: 'block', ...entry } }));
  if (entry.kind === 'ip') forgetIpSnapshot();
  return entry;
}

/**
 * Removes an entry. `asTyped` is the value as the operator wrote it, lower-cased: entries stored before
 * values were canonicalised sit under that key (e.g. `2001:db8:0::1`), and must still be removable.
 */
export async function removeBlock(kind: BlockKind, value: string, asTyped?: string): Promise<void> {
  const values = new Set([canonical(kind, value), ...(asTyped ? [asTyped] : [])]);
  await Promise.all([...values].map((v) => db().send(new DeleteCommand({ TableName: tableName(), Key: key(kind, v) }))));
  if (kind === 'ip') forgetIpSnapshot();
}

export async function listBlocks(): Promise<Block[]> {
  const blocks: Block[] = [];
  for await (const page of allPages({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partition } })) {
    for (const item of page.Items ?? []) blocks.push(blockCodec.decode(item));
  }
  return blocks;
}

/** The store only ever keys an entry by its canonical value: any other key could never match a submission. */
function canonical(kind: BlockKind, value: string): string {
  const result = canonicalBlockValue(kind, value);
  if ('error' in result) throw new Error(`Not a canonical ${kind} blocklist value: ${result.error}`);
  return result.value;
}

/** A reload already under way may have read the table before the change: its result must not be kept either. */
function forgetIpSnapshot(): void {
  snapshot = undefined;
  loading = undefined;
}

async function domainIsBlocked(emailDomain: string | undefined): Promise<boolean> {
  const domain = emailDomain ? canonicalDomain(emailDomain) : undefined;
  if (!domain) return false;
  let keys: Record<string, unknown>[] = blockableSuffixes(domain).map((suffix) => key('email-domain', suffix));
  // Keys DynamoDB leaves unprocessed (throttling) are read again: skipping them would let a blocked domain through.
  for (let attempt = 0; keys.length > 0; attempt++) {
    if (attempt === 4) throw new Error('The blocklist could not be read: DynamoDB left keys unprocessed.');
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    const result = await db().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keys, ProjectionExpression: 'pk' } } }));
    if ((result.Responses?.[tableName()] ?? []).length > 0) return true;
    keys = result.UnprocessedKeys?.[tableName()]?.Keys ?? [];
  }
  return false;
}

let snapshot: { table: string; index: IpRangeIndex; expiresAt: number } | undefined;
let loading: { table: string; index: Promise<IpRangeIndex> } | undefined;

async function ipIsBlocked(text: string | undefined): Promise<boolean> {
  const ip = text ? parseIp(text) : undefined;
  return ip ? (await ipIndex()).has(ip) : false;
}

async function ipIndex(): Promise<IpRangeIndex> {
  const table = tableName();
  if (snapshot?.table === table && snapshot.expiresAt > performance.now()) return snapshot.index;
  // Concurrent requests of a container share one reload.
  const reload = loading?.table === table ? loading : startReload(table);
  try {
    return await reload.index;
  } catch (error) {
    // A blocklist a minute old is better than refusing every submission while DynamoDB hiccups.
    if (snapshot?.table !== table) throw error;
    logger.warn('IP blocklist reload failed; using the previous snapshot', { error: error instanceof Error ? error.message : String(error) });
    return snapshot.index;
  }
}

function startReload(table: string): { table: string; index: Promise<IpRangeIndex> } {
  const reload = { table, index: loadIpIndex(table) };
  loading = reload;
  reload.index
    .then((index) => {
      // Kept only if no change was made in this container meanwhile (see forgetIpSnapshot).
      if (loading === reload) snapshot = { table, index, expiresAt: performance.now() + ipSnapshotSeconds * 1000 };
    })
    .catch(() => undefined)
    .finally(() => {
      if (loading === reload) loading = undefined;
    });
  return reload;
}

async function loadIpIndex(table: string): Promise<IpRangeIndex> {
  const index = new IpRangeIndex();
  const query = {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ip)',
    ExpressionAttributeValues: { ':pk': partition, ':ip': 'ip#' },
    ProjectionExpression: 'sk, #value',
    ExpressionAttributeNames: { '#value': 'value' },
  };
  for await (const page of allPages(query)) {
    for (const item of page.Items ?? []) {
      const range = typeof item.value === 'string' ? parseIpRange(item.value) : undefined;
      if (range) index.add(range);
      else logger.warn('IP blocklist entry is not an address or range; ignored', { sk: item.sk });
    }
  }
  return index;
}
