import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Campaign } from '#shared/domain/campaign.ts';
import { maxSourceValues } from '#shared/domain/signature-source.ts';
import type { StoredSignatureSource } from '#shared/domain/signature.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { chunksOf, confirmationOf, countConfirmations, type Confirmation } from '#shared/store/counting.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { getSourceCounts, getStats } from '#shared/store/stats-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

let campaigns = 0;
function newCampaign(title: string): Promise<Campaign> {
  return createCampaign(
    { kind: 'petition', title: `${title} ${++campaigns}`, summary: '', body: '', demands: [], locale: 'en', translations: {}, countries: [], topics: [], urgent: false },
    { status: 'open' },
  );
}

/** Signs and confirms at the (fake) time given, and returns the confirmation as the stream would carry it. */
async function confirmAt(slug: string, at: string, i: number, options: { country?: string; source?: StoredSignatureSource } = {}): Promise<Confirmation> {
  vi.setSystemTime(new Date(at));
  const email = `signer-${at}-${i}@example.org`;
  await recordSignature(slug, { name: `Signer ${i}`, email, country: options.country ?? 'MA', public: false, subscribe: false, ...(options.source ? { source: options.source } : {}) });
  const key = keys.signature(slug, emailKey(email));
  expect(await confirmSignature(key)).toBe('confirmed');
  const item = (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item!;
  return confirmationOf(item)!;
}

describe('counting signatures over time and by source', () => {
  beforeAll(async () => {
    await useTestTable('counting-stats');
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('files each counted signature under its hour once, however the batch is redelivered or bisected', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const campaign = await newCampaign('Over time');
    const batch = [
      await confirmAt(campaign.slug, '2036-03-07T09:10:00Z', 1),
      await confirmAt(campaign.slug, '2036-03-07T09:50:00Z', 2),
      await confirmAt(campaign.slug, '2036-03-07T10:05:00Z', 3),
      // Across midnight: the same transaction touches the two days.
      await confirmAt(campaign.slug, '2036-03-07T23:59:00Z', 4),
      await confirmAt(campaign.slug, '2036-03-08T00:01:00Z', 5),
    ];
    expect(await countConfirmations(batch.slice(0, 2))).toEqual([]);
    expect(await countConfirmations(batch)).toEqual([]);
    expect(await countConfirmations(batch)).toEqual([]);
    expect(await countConfirmations(batch.slice(3))).toEqual([]);

    vi.setSystemTime(new Date('2036-03-08T01:30:00Z'));
    const hours = await getStats(campaign, 'hour');
    const nonZero = hours.series.filter((p) => p.signatures > 0);
    expect(nonZero).toEqual([
      { at: '2036-03-07T09:00:00.000Z', signatures: 2 },
      { at: '2036-03-07T10:00:00.000Z', signatures: 1 },
      { at: '2036-03-07T23:00:00.000Z', signatures: 1 },
      { at: '2036-03-08T00:00:00.000Z', signatures: 1 },
    ]);
    expect(hours.series).toHaveLength(168);
    expect(hours.byCountry).toEqual({ MA: 5 });
    const days = await getStats(campaign, 'day');
    expect(days.series.filter((p) => p.signatures > 0)).toEqual([
      { at: '2036-03-07T00:00:00.000Z', signatures: 4 },
      { at: '2036-03-08T00:00:00.000Z', signatures: 1 },
    ]);
    // The series adds up to the count: both are written by the same transactions.
    expect(days.series.reduce((sum, p) => sum + p.signatures, 0)).toBe((await getCounts(campaign.slug, undefined)).signatures);

    // The counter holds the newest day's hours; the 7th moved to its own item when the 8th began.
    const counter = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.counter(campaign.slug), ConsistentRead: true }))).Item!;
    expect(counter).toMatchObject({ hoursDay: '2036-03-08', h00: 1 });
    const seventh = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.statsDay(campaign.slug, '2036-03-07'), ConsistentRead: true }))).Item!;
    expect(seventh).toMatchObject({ h09: 2, h10: 1, h23: 1 });

    // A confirmation of the 7th counted late (stream lag, the uncounted sweep) goes to the 7th, once.
    const late = await confirmAt(campaign.slug, '2036-03-07T22:30:00Z', 6);
    vi.setSystemTime(new Date('2036-03-08T01:30:00Z'));
    expect(await countConfirmations([late])).toEqual([]);
    expect(await countConfirmations([late])).toEqual([]);
    const after = await getStats(campaign, 'hour');
    expect(after.series.find((p) => p.at === '2036-03-07T22:00:00.000Z')?.signatures).toBe(1);
    expect(after.series.reduce((sum, p) => sum + p.signatures, 0)).toBe(6);
    // A day item is written only for the day that ended and the late confirmation: one counter write per chunk otherwise.
    expect((await getCounts(campaign.slug, undefined)).signatures).toBe(6);
  });

  it('counts sources per value in the same transaction, once under redelivery', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const campaign = await newCampaign('Sources');
    const batch = [
      await confirmAt(campaign.slug, '2036-03-07T09:10:00Z', 1, { source: { utm_source: 'newsletter', utm_medium: 'email', referrer: 'blog.example.org' } }),
      await confirmAt(campaign.slug, '2036-03-07T09:11:00Z', 2, { source: { utm_source: 'newsletter', ref: 'حملة' } }),
      await confirmAt(campaign.slug, '2036-03-07T09:12:00Z', 3),
    ];
    expect(await countConfirmations(batch)).toEqual([]);
    expect(await countConfirmations(batch.slice(1))).toEqual([]);
    expect(await getSourceCounts(campaign.slug)).toEqual({
      utm_source: { newsletter: 2 },
      utm_medium: { email: 1 },
      utm_campaign: {},
      ref: { حملة: 1 },
      referrer: { 'blog.example.org': 1 },
      account: {},
    });
  });

  it(`keeps at most ${maxSourceValues} distinct source values per campaign and counts the rest as other`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const campaign = await newCampaign('Crafted sources');
    const batch: Confirmation[] = [];
    for (let i = 0; i < maxSourceValues + 30; i++) batch.push(await confirmAt(campaign.slug, '2036-03-07T09:00:00Z', i, { source: { utm_campaign: `crafted-${i}` } }));
    // Two consumers at once, on overlapping halves: the tally's condition keeps the cap and the counts exact.
    const [a, b] = await Promise.all([countConfirmations(batch.slice(0, 140)), countConfirmations(batch.slice(100))]);
    expect([...a, ...b]).toEqual([]);
    const { utm_campaign: values } = await getSourceCounts(campaign.slug);
    expect(Object.keys(values)).toHaveLength(maxSourceValues + 1);
    expect(values.other).toBe(30);
    expect(Object.values(values).reduce((x, y) => x + y, 0)).toBe(maxSourceValues + 30);
    const counter = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.counter(campaign.slug), ConsistentRead: true }))).Item!;
    expect(counter.sourceValues).toBe(maxSourceValues);
    // A value already kept is still counted under its own name once the cap is reached.
    const again = await confirmAt(campaign.slug, '2036-03-07T10:00:00Z', 9999, { source: { utm_campaign: 'crafted-0' } });
    expect(await countConfirmations([again])).toEqual([]);
    const after = (await getSourceCounts(campaign.slug)).utm_campaign;
    expect(after['crafted-0']! + after['crafted-1']!).toBe(3);
  });

  it('splits a batch from 99 countries into transactions that DynamoDB accepts, and counts it exactly', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const campaign = await newCampaign('Every country');
    const regions = new Intl.DisplayNames(['en'], { type: 'region' });
    const codes: string[] = [];
    for (let a = 65; a <= 90 && codes.length < 99; a++) {
      for (let b = 65; b <= 90 && codes.length < 99; b++) {
        const code = String.fromCharCode(a, b);
        const name = regions.of(code);
        if (name && name !== code && name !== 'Unknown Region') codes.push(code);
      }
    }
    const batch: Confirmation[] = [];
    for (const [i, country] of codes.entries()) batch.push(await confirmAt(campaign.slug, '2036-03-07T12:00:00Z', i, { country, source: { ref: `r${i}`, utm_source: `s${i}` } }));
    expect(chunksOf(batch).length).toBeGreaterThan(1);
    expect(await countConfirmations(batch)).toEqual([]);
    const counts = await getCounts(campaign.slug, undefined);
    expect(counts.signatures).toBe(99);
    expect(Object.keys(counts.byCountry)).toHaveLength(99);
  });
});

describe('chunks of a counting batch', () => {
  const confirmation = (i: number, day: string, country = 'MA'): Confirmation => ({
    campaign: 'c',
    key: { pk: `SIGNATURE#c#${i}`, sk: 'SIGNATURE' },
    counter: 'signatures',
    country,
    confirmedAt: `${day}T10:00:00.000Z`,
  });

  it('fills a transaction to 100 actions: 98 markers, the counter, and room for the day item a new day writes', () => {
    const all = Array.from({ length: 300 }, (_, i) => confirmation(i, '2036-03-07'));
    expect(chunksOf(all).map((c) => c.length)).toEqual([98, 98, 98, 6]);
  });

  it('leaves room for each day a chunk touches', () => {
    const all = Array.from({ length: 99 }, (_, i) => confirmation(i, i < 50 ? '2036-03-07' : '2036-03-08'));
    expect(chunksOf(all).map((c) => c.length)).toEqual([97, 2]);
  });

  it('stops a chunk at 40 countries, so the counter update stays under 4 KB', () => {
    const all = Array.from({ length: 90 }, (_, i) => confirmation(i, '2036-03-07', `C${i}`));
    expect(chunksOf(all).map((c) => c.length)).toEqual([40, 40, 10]);
  });
});
