import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { indexEntries, partitions } from '#shared/store/layout.ts';
import { encodeCursor } from '#shared/store/pagination.ts';
import { recountCampaign } from '#shared/store/reconciliation.ts';
import { confirmedSignaturePage, listPublicSignatures } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

// A campaign's counted signatures spread over its shards, plus some that a version before sharding filed under
// the single partition it used then: every reader must see each of them once, in order. Every tenth signer was
// erased: their anonymous remains still count, and no list shows them.
let slug: string;
const sharded = 61;
const legacy = 9;
const all = sharded + legacy;
const erased = (i: number) => i % 10 === 5;
const listed = Array.from({ length: all }, (_, i) => i).filter((i) => !erased(i));

/** Counted signatures as the counting write leaves them; `old` ones under the unsharded keys of earlier versions. */
function counted(i: number, old: boolean, gone = erased(i)) {
  const id = `01sig${String(i).padStart(4, '0')}`;
  // Seconds apart, the legacy ones interleaved in time with the rest (they were confirmed before the upgrade,
  // but an old deployment's readers and the new ones must agree on one order).
  const at = new Date(Date.UTC(2026, 2, 1, 9, 0, i * 7)).toISOString();
  const listing = old
    ? { gsi2pk: `CONFIRMED#${slug}`, gsi2sk: `${at}#${id}`, gsi1pk: `SIGNATURES#${slug}`, gsi1sk: `${at}#${id}` }
    : { ...indexEntries.countedSignature(slug, at, id), ...indexEntries.publicSignature(slug, at, id) };
  return {
    ...keys.signature(slug, `k${i}`),
    type: 'signature',
    id,
    campaign: slug,
    name: `Signer ${i}`,
    email: `s${i}@example.org`,
    country: i % 3 ? 'MA' : 'TR',
    status: gone ? 'erased' : 'confirmed',
    confirmedAt: at,
    countedAt: at,
    public: true,
    ...listing,
  };
}

/**
 * Every page of a list, checking as it goes that each page but the last is full and that the list ends (a last
 * page with no cursor, at most one empty page after the last item).
 */
async function pages<T>(limit: number, read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<{ items: T[]; cursors: string[] }> {
  const items: T[] = [];
  const cursors: string[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    sizes.push(page.items.length);
    cursor = page.nextCursor ?? undefined;
    if (cursor) cursors.push(cursor);
  } while (cursor && cursors.length < 200);
  expect(cursor).toBeUndefined();
  const last = sizes.at(-1) === 0 ? -2 : -1;
  expect(sizes.slice(0, last).every((size) => size === limit), `page sizes ${sizes.join(',')}`).toBe(true);
  expect(sizes.length).toBeLessThanOrEqual(Math.ceil(items.length / limit) + 1);
  return { items, cursors };
}

describe("a campaign's signatures, sharded across index partitions", () => {
  beforeAll(async () => {
    await useTestTable('sharded');
    slug = (await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Sharded lists' }), { status: 'open' })).slug;
    const items = Array.from({ length: all }, (_, i) => counted(i, i % 8 === 3 && i / 8 < legacy));
    for (let i = 0; i < items.length; i += 25) {
      await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
  });

  it('spreads them over several shards, and keeps the legacy partition readable', async () => {
    const used = [];
    for (const partition of partitions.allCountedSignatures(slug)) {
      const found = await db().send(new QueryCommand({ TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': partition }, Select: 'COUNT' }));
      if (found.Count) used.push(partition);
    }
    expect(used).toContain(`CONFIRMED#${slug}`);
    expect(used.length).toBeGreaterThanOrEqual(6);
  });

  it.each([1, 7, 20, 100])('lists every public signature once, newest first, %i to a page', async (limit) => {
    const { items, cursors } = await pages(limit, (cursor) => listPublicSignatures(slug, { limit, cursor }));
    expect(items.map((s) => s.name).sort()).toEqual(listed.map((i) => `Signer ${i}`).sort());
    const times = items.map((s) => s.signedAt);
    expect(times).toEqual([...times].sort().reverse());
    // However many partitions it spans, a cursor stays well inside the 2,048 characters a query may carry.
    for (const cursor of cursors) expect(cursor.length).toBeLessThan(1024);
  });

  it.each([3, 25, 1000])('exports every counted signature once, oldest first, %i to a read', async (limit) => {
    const { items } = await pages(limit, (cursor) => confirmedSignaturePage(slug, { limit, cursor }));
    expect(items.map((s) => s.email)).toEqual(listed.map((i) => `s${i}@example.org`));
  });

  it('recounts across every partition', async () => {
    const { tally } = await recountCampaign(slug);
    const countries = Array.from({ length: all }, (_, i) => (i % 3 ? 'MA' : 'TR'));
    expect(tally).toEqual({ signatures: all, byCountry: { MA: countries.filter((c) => c === 'MA').length, TR: countries.filter((c) => c === 'TR').length } });
  });

  it("refuses another list's cursor, or a cursor of an older unsharded shape", async () => {
    const exportCursor = (await confirmedSignaturePage(slug, { limit: 2 })).nextCursor!;
    await expect(listPublicSignatures(slug, { limit: 2, cursor: exportCursor })).rejects.toThrow(InvalidInputError);
    const refused = { name: 'InvalidInputError', message: 'The cursor is not valid for this list.', errors: [{ path: 'cursor', message: 'Not a cursor this list issued.' }] };
    const unsharded = encodeCursor(`signatures:${slug}`, { pk: 'SIGNATURE#x#k', sk: 'SIGNATURE', gsi1pk: `SIGNATURES#${slug}`, gsi1sk: 'x' });
    await expect(listPublicSignatures(slug, { limit: 2, cursor: unsharded })).rejects.toThrow(InvalidInputError);
    const positions = partitions.allPublicSignatures(slug).map(() => null);
    for (const after of [positions.slice(1), [...positions.slice(1), 7], [...positions.slice(1), {}], [...positions, null]]) {
      await expect(listPublicSignatures(slug, { limit: 2, cursor: encodeCursor(`signatures:${slug}`, { after }) })).rejects.toMatchObject(refused);
    }
    // Its own shape is read: every partition from its start, then on from there.
    const fromStart = await listPublicSignatures(slug, { limit: 2, cursor: encodeCursor(`signatures:${slug}`, { after: positions }) });
    expect(fromStart.items).toEqual((await listPublicSignatures(slug, { limit: 2 })).items);
  });

  it('reads about twice what a page gives at most, not a page from every partition', async () => {
    const scanned: number[] = [];
    const send = db().send.bind(db());
    const spy = vi.spyOn(db(), 'send').mockImplementation((async (command: Parameters<typeof send>[0]) => {
      const result = (await send(command)) as { ScannedCount?: number };
      if (command instanceof QueryCommand) scanned[scanned.length - 1] = (scanned.at(-1) ?? 0) + (result.ScannedCount ?? 0);
      return result;
    }) as never);
    try {
      for (const limit of [3, 10, 25]) {
        let cursor: string | undefined;
        do {
          scanned.push(0);
          const page = await confirmedSignaturePage(slug, { limit, cursor });
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        const partitionCount = partitions.allCountedSignatures(slug).length;
        for (const read of scanned) expect(read).toBeLessThanOrEqual(2 * limit + 3 * partitionCount);
        scanned.length = 0;
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('merges a partition that holds most of the list (the unsharded one, on a deployment just upgraded)', async () => {
    const { slug: upgraded } = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Upgraded' }), { status: 'open' });
    const previous = slug;
    slug = upgraded;
    try {
      // 40 signatures from before the upgrade, then 10 after it, interleaved in time with the last old ones; a
      // run of 12 erased ones, longer than any read the merge makes, passes unseen.
      const gone = (i: number) => erased(i) || (i >= 10 && i < 22);
      const items = Array.from({ length: 50 }, (_, i) => counted(i, i < 40 && i % 5 !== 4, gone(i)));
      for (let i = 0; i < items.length; i += 25) {
        await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
      }
      const shown = Array.from({ length: 50 }, (_, i) => i).filter((i) => !gone(i));
      for (const limit of [3, 7, 20]) {
        const newest = await pages(limit, (cursor) => listPublicSignatures(upgraded, { limit, cursor }));
        expect(newest.items.map((s) => s.name)).toEqual(shown.map((i) => `Signer ${i}`).reverse());
        const oldest = await pages(limit, (cursor) => confirmedSignaturePage(upgraded, { limit, cursor }));
        expect(oldest.items.map((s) => s.email)).toEqual(shown.map((i) => `s${i}@example.org`));
      }
    } finally {
      slug = previous;
    }
  });
});
