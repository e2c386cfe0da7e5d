import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { countConfirmations, type Confirmation } from '#shared/store/counting.ts';
import { reconcileCampaign } from '#shared/store/reconciliation.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

const campaignInput = { kind: 'petition' as const, summary: '', body: '', demands: [], locale: 'en', translations: {}, countries: [], topics: [], urgent: false };

async function countedCampaign(title: string, countries: string[]): Promise<string> {
  const { slug } = await createCampaign({ ...campaignInput, title });
  const confirmations: Confirmation[] = [];
  for (const [i, country] of countries.entries()) {
    const email = `r${i}@example.org`;
    await recordSignature(slug, { name: `R ${i}`, email, country, public: false, subscribe: false });
    const key = keys.signature(slug, emailKey(email));
    await confirmSignature(key);
    confirmations.push({ campaign: slug, key, counter: 'signatures', country, listing: { gsi2pk: `CONFIRMED#${slug}`, gsi2sk: `${i}` } });
  }
  expect(await countConfirmations(confirmations)).toEqual([]);
  return slug;
}

async function corruptCounter(slug: string, signatures: number, byCountry: Record<string, number>) {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.counter(slug),
      UpdateExpression: 'SET signatures = :s, byCountry = :c',
      ExpressionAttributeValues: { ':s': signatures, ':c': byCountry },
    }),
  );
}

describe('reconciling a campaign counter with its signatures', () => {
  beforeAll(async () => {
    await useTestTable('reconcile');
  });

  it('finds no drift when the counter is right', async () => {
    const slug = await countedCampaign('No drift here', ['MA', 'MA', 'TR']);
    const result = await reconcileCampaign(slug, { apply: true, settleMs: 50 });
    expect(result).toMatchObject({ drift: 0, corrected: false, recount: { signatures: 3, byCountry: { MA: 2, TR: 1 } } });
  });

  it('reports drift without touching the counter when not asked to apply', async () => {
    const slug = await countedCampaign('Report only', ['MA', 'TR']);
    await corruptCounter(slug, 7, { MA: 7 });
    const result = await reconcileCampaign(slug, { apply: false, settleMs: 50 });
    expect(result).toMatchObject({ drift: -5, corrected: false });
    expect((await getCounts(slug, undefined)).signatures).toBe(7);
  });

  it('corrects the total and the per-country breakdown', async () => {
    const slug = await countedCampaign('Correct me', ['MA', 'MA', 'DE', 'TR']);
    await corruptCounter(slug, 1, { MA: 1 });
    const result = await reconcileCampaign(slug, { apply: true, settleMs: 50 });
    expect(result).toMatchObject({ drift: 3, corrected: true });
    const counts = await getCounts(slug, undefined);
    expect(counts.signatures).toBe(4);
    expect(counts.byCountry).toEqual({ MA: 2, DE: 1, TR: 1 });
  });

  it('starts no recount that would end after its deadline, and leaves the counter for the next run', async () => {
    const slug = await countedCampaign('Out of time', ['MA', 'TR', 'TR']);
    await corruptCounter(slug, 1, { TR: 1 });
    // The first recount finds the drift; a second one, to confirm it, would end after the deadline.
    const result = await reconcileCampaign(slug, { apply: true, settleMs: 50, deadline: Date.now() });
    expect(result).toMatchObject({ drift: 2, corrected: false, note: expect.stringMatching(/^out of time/) });
    expect((await getCounts(slug, undefined)).signatures).toBe(1);
    // With time enough, the next run corrects it.
    expect(await reconcileCampaign(slug, { apply: true, settleMs: 50, deadline: Date.now() + 60_000 })).toMatchObject({ drift: 2, corrected: true });
    expect((await getCounts(slug, undefined)).signatures).toBe(3);
  });
});
