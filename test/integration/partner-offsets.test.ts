import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignInputSchema, type Campaign } from '#shared/domain/campaign.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { getCounts, listOffsetChanges, listPartnerCounts, maxPartners, setOffset, setPartnerCount } from '#shared/store/counter-store.ts';
import { countConfirmations } from '#shared/store/counting.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

let n = 0;
function newCampaign(options: { offset?: number } = {}): Promise<Campaign> {
  return createCampaign(campaignInputSchema.parse({ kind: 'petition', title: `Partners ${++n}` }), { status: 'open', ...options });
}

async function trail(slug: string) {
  const result = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :offset)',
      ExpressionAttributeValues: { ':pk': keys.counter(slug).pk, ':offset': 'OFFSET#' },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).map(({ partner, by, previous, offset }) => ({ partner, by, previous, offset }));
}

describe("partners' counts", () => {
  beforeAll(async () => {
    await useTestTable('partner-offsets');
  });

  it('replaces a partner\'s count on a repeat, sums partners into the offset and their countries into byCountry', async () => {
    const campaign = await newCampaign();
    const email = 'salma@example.org';
    await recordSignature(campaign.slug, { name: 'Salma', email, country: 'MA', public: false, subscribe: false });
    const key = keys.signature(campaign.slug, emailKey(email));
    await confirmSignature(key);
    await countConfirmations([{ campaign: campaign.slug, key, counter: 'signatures', country: 'MA' }]);

    await setPartnerCount(campaign.slug, 'amnesty-fr', { count: 500, byCountry: { FR: 400, MA: 50 }, reason: 'Paper forms, box 1' }, 'op-1', undefined);
    await setPartnerCount(campaign.slug, 'ligue-ma', { count: 120, byCountry: { MA: 120 }, reason: 'Stand in Rabat' }, 'op-2', undefined);
    // The same partner again: its count is replaced, not added to.
    const counts = await setPartnerCount(campaign.slug, 'amnesty-fr', { count: 650, byCountry: { FR: 600 }, reason: 'Paper forms, boxes 1 and 2' }, 'op-1', undefined);

    expect(counts).toMatchObject({ signatures: 1, offset: 770, total: 771, byCountry: { MA: 121, FR: 600 } });
    expect(await getCounts(campaign.slug, undefined)).toEqual(counts);
    expect(await trail(campaign.slug)).toEqual([
      { partner: 'amnesty-fr', by: 'op-1', previous: 0, offset: 500 },
      { partner: 'ligue-ma', by: 'op-2', previous: 0, offset: 120 },
      { partner: 'amnesty-fr', by: 'op-1', previous: 500, offset: 650 },
    ]);
    const history = await listOffsetChanges(campaign.slug, { limit: 10 });
    expect(history.items[0]).toMatchObject({ partner: 'amnesty-fr', previous: 500, offset: 650, reason: 'Paper forms, boxes 1 and 2' });
  });

  it('keeps the single offset working as the default partner, beside the others, and an offset set before partners', async () => {
    const campaign = await newCampaign({ offset: 300 });
    // Before any partner: the whole offset is the default partner's.
    expect(await listPartnerCounts(campaign.slug)).toEqual([{ partner: 'default', count: 300, byCountry: {} }]);
    await setPartnerCount(campaign.slug, 'partner-a', { count: 40, reason: 'a' }, 'op', undefined);
    expect((await getCounts(campaign.slug, undefined)).offset).toBe(340);
    const counts = await setOffset(campaign.slug, { offset: 310, reason: 'recount' }, 'op', undefined);
    expect(counts.offset).toBe(350);
    expect(await listPartnerCounts(campaign.slug)).toMatchObject([
      { partner: 'default', count: 310 },
      { partner: 'partner-a', count: 40, byCountry: {} },
    ]);
    expect(await trail(campaign.slug)).toEqual([
      { partner: 'partner-a', by: 'op', previous: 0, offset: 40 },
      { partner: 'default', by: 'op', previous: 300, offset: 310 },
    ]);
  });

  it('loses no change when operators set different partners at the same moment', async () => {
    const campaign = await newCampaign();
    const partners = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    await Promise.all(partners.map((p, i) => setPartnerCount(campaign.slug, p, { count: (i + 1) * 10, byCountry: { TN: i + 1 }, reason: 'same time' }, `op-${p}`, undefined)));
    const counts = await getCounts(campaign.slug, undefined);
    expect(counts.offset).toBe(10 + 20 + 30 + 40 + 50 + 60);
    expect(counts.byCountry).toEqual({ TN: 21 });
    expect((await trail(campaign.slug)).map((e) => e.partner).sort()).toEqual(partners);
  });

  it('records a chain of previous values when operators set the same partner at the same moment', async () => {
    const campaign = await newCampaign();
    const values = [11, 22, 33, 44];
    await Promise.all(values.map((count) => setPartnerCount(campaign.slug, 'shared', { count, reason: `to ${count}` }, `op-${count}`, undefined)));
    const entries = await trail(campaign.slug);
    expect(entries).toHaveLength(values.length);
    let current = 0;
    const remaining = [...entries];
    while (remaining.length > 0) {
      const next = remaining.findIndex((e) => e.previous === current);
      expect(next, `an entry continuing from ${current}`).toBeGreaterThanOrEqual(0);
      current = remaining.splice(next, 1)[0]!.offset as number;
    }
    expect((await getCounts(campaign.slug, undefined)).offset).toBe(current);
  });

  it(`refuses a partner beyond ${maxPartners} and changes nothing`, async () => {
    const campaign = await newCampaign();
    const partners = Object.fromEntries(Array.from({ length: maxPartners }, (_, i) => [`p${i}`, 1]));
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.counter(campaign.slug), type: 'counter', signatures: 0, endorsements: 0, byCountry: {}, offset: maxPartners, partners, partnerByCountry: {}, offsetVersion: 7 },
      }),
    );
    await expect(setPartnerCount(campaign.slug, 'one-more', { count: 5, reason: 'x' }, 'op', undefined)).rejects.toMatchObject({ name: 'ConflictError' });
    expect((await getCounts(campaign.slug, undefined)).offset).toBe(maxPartners);
    expect(await trail(campaign.slug)).toEqual([]);
    // An existing partner may still be changed.
    expect((await setPartnerCount(campaign.slug, 'p3', { count: 6, reason: 'x' }, 'op', undefined)).offset).toBe(maxPartners + 5);
  });
});
