import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { InvalidInputError } from '#shared/domain/errors.ts';
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

/** Where a merged list stands in one partition: before its first item (null), after a sort key, or done (false). */
type PartitionPosition = string | null | false;

interface Reader {
  input: QueryCommandInput;
  /** Fetched and not yet taken, in list order. */
  buffer: Record<string, unknown>[];
  /** The last sort key fetched (where the next query starts) and the last taken (where the cursor points). */
  fetched: string | null;
  taken: string | null;
  exhausted: boolean;
}

/**
 * A page of a list spread over several index partitions (a campaign's signature shards), merged in sort key
 * order as if it were one partition: `limit` items (fewer only at the end), no item repeated or missed between
 * pages. Each input is one partition's query (`<index>pk = :pk`, filter allowed); all share the index and
 * `sortKey`, whose values must be unique within a partition (`<at>#<id>` is).
 *
 * A k-way merge: each partition is read a batch at a time (its share of the page, two items more), and an item
 * is taken only while every partition that is not done has a fetched item to compare it with. A page reads
 * about twice its size at most (its items, and what each partition fetched but did not give), never `limit`
 * per partition; a partition that holds most of the list (the unsharded one, after an upgrade) costs a few
 * more round trips instead.
 *
 * The cursor holds each partition's position as the last sort key taken from it, so it stays small however
 * many partitions there are (a few hundred characters, not a full key each), sealed like every cursor.
 */
export async function mergedQueryPage<T>(
  inputs: QueryCommandInput[],
  options: { scope: string; limit: number; cursor: string | undefined; sortKey: string; ascending: boolean; map: (item: Record<string, unknown>) => T },
): Promise<Page<T>> {
  const readers: (Reader | undefined)[] = mergedPositions(options.scope, options.cursor, inputs.length).map((position, i) =>
    position === false ? undefined : { input: inputs[i]!, buffer: [], fetched: position, taken: position, exhausted: false },
  );
  const fill = async (reader: Reader, size: number) => {
    const { items, exhausted } = await partitionItems(reader.input, reader.fetched, { ...options, limit: size });
    reader.buffer.push(...items);
    reader.exhausted = exhausted;
    if (items.length) reader.fetched = String(items.at(-1)![options.sortKey]);
  };
  const share = Math.ceil(options.limit / Math.max(1, readers.filter(Boolean).length)) + 2;
  const page: Record<string, unknown>[] = [];
  const before = (a: string, b: string) => (options.ascending ? a < b : a > b);
  while (page.length < options.limit) {
    // A partition with nothing fetched but more to come could hold the next item: fetch before comparing (at
    // first, every partition at once).
    const empty = readers.filter((reader): reader is Reader => !!reader && reader.buffer.length === 0 && !reader.exhausted);
    await Promise.all(empty.map((reader) => fill(reader, share)));
    let next: Reader | undefined;
    for (const reader of readers) {
      const head = reader?.buffer[0];
      if (head && (!next || before(String(head[options.sortKey]), String(next.buffer[0]![options.sortKey])))) next = reader;
    }
    if (!next) break;
    const item = next.buffer.shift()!;
    next.taken = String(item[options.sortKey]);
    page.push(item);
  }
  const positions = readers.map((reader): PartitionPosition => (!reader || (reader.exhausted && reader.buffer.length === 0) ? false : reader.taken));
  const nextCursor = positions.every((position) => position === false) ? null : encodeCursor(options.scope, { after: positions });
  return { items: page.map(options.map), nextCursor };
}

function mergedPositions(scope: string, cursor: string | undefined, partitions: number): PartitionPosition[] {
  const decoded = decodeCursor(scope, cursor);
  if (decoded === undefined) return Array.from({ length: partitions }, () => null);
  const after = decoded.after;
  // A cursor sealed for this scope was issued by this code; one of another shape is from a version with a
  // different number of partitions (or none), and cannot say where each partition stands.
  if (!Array.isArray(after) || after.length !== partitions || !after.every((p) => p === null || p === false || typeof p === 'string')) {
    throw new InvalidInputError('The cursor is not valid for this list.', [{ path: 'cursor', message: 'Not a cursor this list issued.' }]);
  }
  return after as PartitionPosition[];
}

/**
 * One query's worth of a partition's items after `position` (up to `limit`, fewer when the filter passed over
 * some), and whether the partition has nothing more. The merge asks again for a partition it has emptied.
 */
async function partitionItems(
  input: QueryCommandInput,
  position: string | null,
  options: { limit: number; sortKey: string; ascending: boolean },
): Promise<{ items: Record<string, unknown>[]; exhausted: boolean }> {
  const query: QueryCommandInput =
    position === null
      ? input
      : {
          ...input,
          KeyConditionExpression: `${input.KeyConditionExpression} AND #mergeSortKey ${options.ascending ? '>' : '<'} :mergeAfter`,
          ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#mergeSortKey': options.sortKey },
          ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ':mergeAfter': position },
        };
  // No slack for the filter (it passes over erased signatures, which are rare): what it drops is read next time.
  // A query whose every item the filter dropped gives no position to go on from: read on from where it stopped.
  let items: Record<string, unknown>[];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await db().send(new QueryCommand({ ...query, ScanIndexForward: options.ascending, ExclusiveStartKey: startKey, Limit: options.limit }));
    items = result.Items ?? [];
    startKey = result.LastEvaluatedKey;
  } while (items.length === 0 && startKey);
  return { items, exhausted: !startKey };
}
