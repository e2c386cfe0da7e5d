import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as reconcileCounts } from '#functions/schedules/reconcile-counts.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { recordApprovedEndorsement } from '#shared/store/endorsement-store.ts';
import { confirmedSignaturePage, confirmSignature, emailKey, listPublicSignatures, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { sweepUncounted } from '#shared/store/uncounted-sweep.ts';
import { useTestTable } from '#test/support/test-table.ts';

const campaignInput = { kind: 'statement' as const, summary: '', body: '', demands: [], locale: 'en', translations: {}, countries: [], topics: [], urgent: false };
const later = () => new Date(Date.now() + 60_000).toISOString();

/** Signatures confirmed in the table with no stream running: exactly what a dead-lettered record leaves. */
async function confirmedButUncounted(slug: string, signers: { email: string; country: string; public?: boolean }[]): Promise<void> {
  for (const { email, country, public: isPublic = false } of signers) {
    await recordSignature(slug, { name: email.split('@')[0]!, email, country, public: isPublic, subscribe: false });
    expect(await confirmSignature(keys.signature(slug, emailKey(email)))).toBe('confirmed');
  }
}

describe('the nightly sweep for confirmations the stream never counted', () => {
  beforeAll(async () => {
    await useTestTable('sweep');
  });

  it('counts confirmed signatures and approved endorsements without a marker, lists them, and only once', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Lost stream records' });
    await confirmedButUncounted(slug, [
      { email: 'salma@example.org', country: 'MA', public: true },
      { email: 'deniz@example.org', country: 'TR' },
    ]);
    await recordSignature(slug, { name: 'Never confirms', email: 'never@example.org', country: 'MA', public: true, subscribe: false });
    await recordApprovedEndorsement(slug, { organisation: 'Rif Solidarity', country: 'MA' });
    expect(await getCounts(slug, undefined)).toMatchObject({ signatures: 0, endorsements: 0 });

    const swept = await sweepUncounted(later());
    expect(swept.found).toBeGreaterThanOrEqual(3);
    expect(swept.failed).toBe(0);
    expect(await getCounts(slug, undefined)).toMatchObject({ signatures: 2, endorsements: 1, byCountry: { MA: 1, TR: 1 } });
    // The same write that counts also lists: the export index, and the public list for those who chose it.
    expect((await confirmedSignaturePage(slug, { limit: 10 })).items.map((s) => s.email).sort()).toEqual(['deniz@example.org', 'salma@example.org']);
    expect((await listPublicSignatures(slug, { limit: 10 })).items.map((s) => s.name)).toEqual(['salma']);

    // Every item found now carries its marker: a second sweep, or a late replay, counts nothing again.
    expect(await sweepUncounted(later())).toEqual({ found: 0, counted: 0, failed: 0 });
    expect(await getCounts(slug, undefined)).toMatchObject({ signatures: 2, endorsements: 1 });
  });

  it('leaves confirmations younger than the cut-off to the stream', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Still on the stream' });
    const cutOff = new Date(Date.now() - 1000).toISOString();
    await confirmedButUncounted(slug, [{ email: 'fresh@example.org', country: 'FR' }]);
    await sweepUncounted(cutOff);
    expect((await getCounts(slug, undefined)).signatures).toBe(0);
    await sweepUncounted(later());
    expect((await getCounts(slug, undefined)).signatures).toBe(1);
  });

  it('counts each confirmation once when sweeps run at the same time', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Two sweeps at once' });
    const signers = Array.from({ length: 40 }, (_, i) => ({ email: `racer${i}@example.org`, country: i % 2 ? 'MA' : 'ES' }));
    await confirmedButUncounted(slug, signers);
    const results = await Promise.all([sweepUncounted(later()), sweepUncounted(later()), sweepUncounted(later())]);
    expect(results.every((r) => r.failed === 0)).toBe(true);
    expect(await getCounts(slug, undefined)).toMatchObject({ signatures: 40, byCountry: { MA: 20, ES: 20 } });
  });

  it('runs in the nightly ReconcileCounts job, for confirmations more than an hour old', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Found at night' });
    await confirmedButUncounted(slug, [
      { email: 'old@example.org', country: 'KZ' },
      { email: 'new@example.org', country: 'KZ' },
    ]);
    // One of them was confirmed two hours ago; the other just now, so the stream may still be on it.
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.signature(slug, emailKey('old@example.org')),
        UpdateExpression: 'SET confirmedAt = :at',
        ExpressionAttributeValues: { ':at': new Date(Date.now() - 2 * 3600_000).toISOString() },
      }),
    );
    const result = await reconcileCounts();
    expect(result.swept).toEqual({ found: 1, counted: 1, failed: 0 });
    expect(await getCounts(slug, undefined)).toMatchObject({ signatures: 1, byCountry: { KZ: 1 } });
  });
});
