import { beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { countConfirmations, type Confirmation } from '#shared/store/counting.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { keys } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

async function confirmedSignatures(slug: string, n: number, country = 'MA'): Promise<Confirmation[]> {
  const confirmations: Confirmation[] = [];
  for (let i = 0; i < n; i++) {
    const email = `signer${i}@example.org`;
    await recordSignature(slug, { name: `Signer ${i}`, email, country, public: false, subscribe: false });
    const key = keys.signature(slug, emailKey(email));
    expect(await confirmSignature(key)).toBe('confirmed');
    confirmations.push({ campaign: slug, key, counter: 'signatures', country });
  }
  return confirmations;
}

describe('counting confirmations into the campaign counter', () => {
  beforeAll(async () => {
    await useTestTable('counting');
  });

  it('counts each confirmation once, however often it is delivered', async () => {
    const campaign = await createCampaign({ kind: 'petition', title: 'Count me once', summary: '', body: '', demands: [], locale: 'en', translations: {}, countries: [], topics: [], urgent: false });
    const confirmations = await confirmedSignatures(campaign.slug, 5);

    expect(await countConfirmations(confirmations)).toEqual([]);
    // A redelivery of the whole batch, and a bisected half of it, change nothing.
    expect(await countConfirmations(confirmations)).toEqual([]);
    expect(await countConfirmations(confirmations.slice(0, 2))).toEqual([]);

    const counts = await getCounts(campaign.slug, undefined);
    expect(counts.signatures).toBe(5);
    expect(counts.byCountry).toEqual({ MA: 5 });
  });

  it('counts a batch that mixes counted and new confirmations exactly', async () => {
    const campaign = await createCampaign({ kind: 'petition', title: 'Mixed batch', summary: '', body: '', demands: [], locale: 'en', translations: {}, countries: [], topics: [], urgent: false });
    const confirmations = await confirmedSignatures(campaign.slug, 150, 'TR');
    await countConfirmations(confirmations.slice(0, 60));
    expect(await countConfirmations(confirmations)).toEqual([]);
    const counts = await getCounts(campaign.slug, undefined);
    expect(counts.signatures).toBe(150);
    expect(counts.byCountry).toEqual({ TR: 150 });
  });
});
