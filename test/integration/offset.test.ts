import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignInputSchema, type Campaign } from '#shared/domain/campaign.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { getCounts, setOffset } from '#shared/store/counter-store.ts';
import { countConfirmations } from '#shared/store/counting.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

async function auditTrail(slug: string): Promise<Record<string, unknown>[]> {
  const result = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :offset)',
      ExpressionAttributeValues: { ':pk': `CAMPAIGN#${slug}`, ':offset': 'OFFSET#' },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

async function newCampaign(title: string): Promise<Campaign> {
  return createCampaign(campaignInputSchema.parse({ kind: 'petition', title, goal: 2000 }), { status: 'open' });
}

describe('the operator offset', () => {
  beforeAll(async () => {
    await useTestTable('offset');
  });

  it('is added to the confirmed signatures in the total', async () => {
    const campaign = await newCampaign('Offline support');
    for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) {
      await recordSignature(campaign.slug, { name: 'Signer', email, country: 'TR', public: false, subscribe: false });
      const key = keys.signature(campaign.slug, emailKey(email));
      await confirmSignature(key);
      await countConfirmations([{ campaign: campaign.slug, key, counter: 'signatures', country: 'TR' }]);
    }

    const counts = await setOffset(campaign.slug, { offset: 785, reason: 'Actions on a partner form' }, 'admin-token', campaign.goal);
    expect(counts).toEqual({ signatures: 3, offset: 785, total: 788, endorsements: 0, goal: 2000, byCountry: { TR: 3 } });
    expect(await getCounts(campaign.slug, campaign.goal)).toEqual(counts);
  });

  it('keeps every change in an audit trail: who, from what, to what, and why', async () => {
    const campaign = await newCampaign('Audited');
    await setOffset(campaign.slug, { offset: 100, reason: 'Paper petition, first box' }, 'admin-token', undefined);
    await setOffset(campaign.slug, { offset: 250, reason: 'Paper petition, second box' }, 'cognito:operator-7', undefined);
    await setOffset(campaign.slug, { offset: 240, reason: 'Duplicates removed' }, 'admin-token', undefined);

    const trail = await auditTrail(campaign.slug);
    expect(trail.map(({ by, previous, offset, reason }) => ({ by, previous, offset, reason }))).toEqual([
      { by: 'admin-token', previous: 0, offset: 100, reason: 'Paper petition, first box' },
      { by: 'cognito:operator-7', previous: 100, offset: 250, reason: 'Paper petition, second box' },
      { by: 'admin-token', previous: 250, offset: 240, reason: 'Duplicates removed' },
    ]);
    for (const entry of trail) expect(entry).toMatchObject({ type: 'offset-change', campaign: campaign.slug, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown });
    expect((await getCounts(campaign.slug, undefined)).offset).toBe(240);
  });

  it('does not touch the signature count', async () => {
    const campaign = await newCampaign('Only the offset');
    const counts = await setOffset(campaign.slug, { offset: 5, reason: 'x' }, 'admin-token', undefined);
    expect(counts).toMatchObject({ signatures: 0, offset: 5, total: 5 });
  });

  it('keeps a trail that adds up when operators change it at the same time', async () => {
    const campaign = await newCampaign('Concurrent operators');
    const offsets = [10, 20, 30, 40, 50];
    const outcomes = await Promise.allSettled(offsets.map((offset) => setOffset(campaign.slug, { offset, reason: `set to ${offset}` }, `operator-${offset}`, undefined)));
    // The first write to land finds the offset everyone read, so at least one change always wins; the rest are told to retry.
    const won = offsets.filter((_, i) => outcomes[i]!.status === 'fulfilled');
    expect(won.length).toBeGreaterThanOrEqual(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toEqual(expect.objectContaining({ name: 'ConflictError', slug: 'concurrent-change' }));
    }
    // The trail holds exactly the changes that won, each under its operator.
    const trail = await auditTrail(campaign.slug);
    expect(trail.map((entry) => [entry.offset, entry.by]).sort()).toEqual(won.map((offset) => [offset, `operator-${offset}`]).sort());
    // Each change starts from where the one before left the offset: the entries form one chain from 0.
    const remaining = [...trail];
    let current = 0;
    while (remaining.length > 0) {
      const next = remaining.findIndex((entry) => entry.previous === current);
      expect(next, `an audit entry continuing from ${current}`).toBeGreaterThanOrEqual(0);
      current = remaining.splice(next, 1)[0]!.offset as number;
    }
    expect((await getCounts(campaign.slug, undefined)).offset).toBe(current);
  });

  it('answers 404 for a campaign that does not exist, and writes no audit entry', async () => {
    await expect(setOffset('no-such-campaign', { offset: 1, reason: 'x' }, 'admin-token', undefined)).rejects.toBeInstanceOf(NotFoundError);
    await expect(setOffset('no-such-campaign', { offset: 1, reason: 'x' }, 'admin-token', undefined)).rejects.toThrow('There is no campaign "no-such-campaign".');
    expect(await auditTrail('no-such-campaign')).toEqual([]);
  });
});
