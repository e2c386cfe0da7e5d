import { beforeAll, describe, expect, it } from 'vitest';
import { campaignInputSchema, type Campaign, type CampaignKind, type CampaignStatus } from '#shared/domain/campaign.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { createCampaign, listCampaigns } from '#shared/store/campaign-store.ts';
import type { Page } from '#shared/store/pagination.ts';
import { useTestTable } from '#test/support/test-table.ts';

const kinds: CampaignKind[] = ['petition', 'statement', 'appeal'];
const openCount = 48;
const created: Campaign[] = [];

const hoursAfter2024 = (hours: number) => new Date(Date.UTC(2024, 0, 1) + hours * 3_600_000).toISOString();

async function make(n: number, status: CampaignStatus, createdAt: string, into: Campaign[] = created): Promise<Campaign> {
  const kind = kinds[n % kinds.length]!;
  const campaign = await createCampaign(campaignInputSchema.parse({ kind, title: `${status} campaign number ${n}` }), { status, createdAt });
  into.push(campaign);
  return campaign;
}

/** Newest first, as the lists promise. */
const newestFirst = (campaigns: Campaign[]) => [...campaigns].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.slug.localeCompare(a.slug)).map((c) => c.slug);

type Query = Parameters<typeof listCampaigns>[0];

/** Walks a list page by page, calling `between` after each page, and returns every page. */
async function walk(query: Omit<Query, 'cursor'>, between: (pageNumber: number) => Promise<void> = async () => undefined): Promise<Page<Campaign>[]> {
  const pages: Page<Campaign>[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCampaigns({ ...query, cursor });
    pages.push(page);
    expect(pages.length).toBeLessThan(100);
    cursor = page.nextCursor ?? undefined;
    await between(pages.length);
  } while (cursor);
  return pages;
}

function expectWellFormedPages(pages: Page<Campaign>[], limit: number) {
  for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(limit);
  // Only the last page may be short: there are no holes in the middle.
  for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(limit);
  expect(pages.at(-1)!.nextCursor).toBeNull();
}

describe('listing campaigns', () => {
  beforeAll(async () => {
    await useTestTable('campaign-listing');
    for (let i = 0; i < openCount; i++) await make(i, 'open', hoursAfter2024(i * 7));
    for (let i = 0; i < 3; i++) await make(100 + i, 'draft', hoursAfter2024(i * 5 + 1));
    for (let i = 0; i < 2; i++) await make(200 + i, 'closed', hoursAfter2024(i * 11 + 2));
  });

  const withStatus = (status: CampaignStatus) => created.filter((c) => c.status === status && c.createdAt < '2025');

  it('lists the campaigns of a status, newest first', async () => {
    const page = await listCampaigns({ status: 'open', limit: 100 });
    expect(page.items.map((c) => c.slug)).toEqual(newestFirst(withStatus('open')));
    expect(page.items.every((c) => c.status === 'open')).toBe(true);
    expect(page.nextCursor).toBeNull();
    expect((await listCampaigns({ status: 'draft', limit: 100 })).items.map((c) => c.slug)).toEqual(newestFirst(withStatus('draft')));
  });

  it('lists every status for operators when no status is given', async () => {
    const page = await listCampaigns({ limit: 100 });
    expect(page.items.map((c) => c.slug)).toEqual(newestFirst(created));
  });

  it('filters by kind and still fills its pages', async () => {
    const petitions = withStatus('open').filter((c) => c.kind === 'petition');
    const page = await listCampaigns({ status: 'open', kind: 'petition', limit: 5 });
    expect(page.items.map((c) => c.slug)).toEqual(newestFirst(petitions).slice(0, 5));
    expect(page.nextCursor).not.toBeNull();
  });

  it('pages through 48 campaigns 7 at a time with no repeats and no gaps', async () => {
    const pages = await walk({ status: 'open', limit: 7 });
    expectWellFormedPages(pages, 7);
    expect(pages.flatMap((p) => p.items.map((c) => c.slug))).toEqual(newestFirst(withStatus('open')));
    expect(pages.length).toBe(Math.ceil(openCount / 7));
  });

  it('pages through a kind-filtered list with no repeats and no gaps', async () => {
    const pages = await walk({ status: 'open', kind: 'statement', limit: 7 });
    expectWellFormedPages(pages, 7);
    expect(pages.flatMap((p) => p.items.map((c) => c.slug))).toEqual(newestFirst(withStatus('open').filter((c) => c.kind === 'statement')));
  });

  it('pages through the operators\' list of every status', async () => {
    const pages = await walk({ limit: 7 });
    expectWellFormedPages(pages, 7);
    expect(pages.flatMap((p) => p.items.map((c) => c.slug))).toEqual(newestFirst(created));
  });

  it('ends with a page whose nextCursor is null when the list divides into full pages', async () => {
    const pages = await walk({ status: 'open', limit: 8 });
    expect(pages.flatMap((p) => p.items)).toHaveLength(openCount);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    // At most one extra, empty page.
    expect(pages.length).toBeLessThanOrEqual(openCount / 8 + 1);
  });

  it('refuses a cursor from another list', async () => {
    const open = await listCampaigns({ status: 'open', limit: 7 });
    // The store's own error, which the HTTP wrapper answers as a 400 naming the cursor.
    const refused = { name: 'InvalidInputError', errors: [{ path: 'cursor', message: 'Not a cursor this list issued.' }] };
    await expect(listCampaigns({ status: 'closed', limit: 7, cursor: open.nextCursor! })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(listCampaigns({ status: 'open', kind: 'petition', limit: 7, cursor: open.nextCursor! })).rejects.toMatchObject(refused);
    await expect(listCampaigns({ limit: 7, cursor: open.nextCursor! })).rejects.toMatchObject(refused);
  });

});

// In a table of its own: the campaigns it adds would change the lists the tests above read.
describe('listing campaigns while new ones are created', () => {
  const existing: Campaign[] = [];

  beforeAll(async () => {
    await useTestTable('campaign-listing-growing');
    for (let i = 0; i < openCount; i++) await make(i, 'open', hoursAfter2024(i * 7), existing);
  });

  it('pages without repeats or gaps while new campaigns are created between requests', async () => {
    const original = newestFirst(existing);
    const added: Campaign[] = [];
    let n = 0;
    const pages = await walk({ status: 'open', limit: 7 }, async (pageNumber) => {
      // A campaign published now (newest, before the pages already read) and one back-dated among them.
      await make(300 + n++, 'open', new Date().toISOString(), added);
      await make(300 + n++, 'open', hoursAfter2024(openCount * 7 - pageNumber * 9 * 7 - 3), added);
    });
    const seen = pages.flatMap((p) => p.items.map((c) => c.slug));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((slug) => original.includes(slug))).toEqual(original);
    expect(pages.at(-1)!.nextCursor).toBeNull();
  });
});
