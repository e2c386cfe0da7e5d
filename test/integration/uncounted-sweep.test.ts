import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { reconciliationDue } from '#events/reconciliation-due.ts';
import { createCampaign, transitionCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { recordApprovedEndorsement } from '#shared/store/endorsement-store.ts';
import { confirmedSignaturePage, confirmSignature, emailKey, listPublicSignatures, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { sweepUncounted } from '#shared/store/uncounted-sweep.ts';
import { useTestTable } from '#test/support/test-table.ts';

// The bus itself is the local runtime's (test/e2e); here the events the nightly job puts are handed to their consumer.
const published = vi.hoisted(() => [] as { detailType: string; detail: unknown }[]);
vi.mock('#shared/events/publisher.ts', () => ({ publish: (events: { detailType: string; detail: unknown }[]) => Promise.resolve(void published.push(...events)) }));
const { handler: reconcileCounts } = await import('#functions/schedules/reconcile-counts.ts');
const { handler: reconcileCampaignCounts } = await import('#functions/events/reconcile-campaign-counts.ts');

const campaignInput = { kind: 'statement' as const, summary: '', body: '', demands: [], locale: 'en', translations: {}, countries: [], topics: [], urgent: false };
const later = () => new Date(Date.now() + 60_000).toISOString();

/** Signatures confirmed in the table with no stream running: exactly what a dead-lettered record leaves. */
async function confirmedButUncounted(slug: string, signers: { email: string; country: string; public?: boolean }[]): Promise<void> {
  for (const { email, country, public: isPublic = false } of signers) {
    await recordSignature(slug, { name: email.split('@')[0]!, email, country, public: isPublic, subscribe: false });
    expect(await confirmSignature(keys.signature(slug, emailKey(email)))).toBe('confirmed');
  }
}

describe("a campaign's sweep for confirmations the stream never counted", () => {
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

    // Another campaign's uncounted confirmation is that campaign's unit of work, not this one's.
    const { slug: other } = await createCampaign({ ...campaignInput, title: 'Swept on its own' });
    await confirmedButUncounted(other, [{ email: 'elsewhere@example.org', country: 'DZ' }]);

    const swept = await sweepUncounted(slug, later());
    expect(swept.found).toBe(3);
    expect(swept.failed).toBe(0);
    expect(await getCounts(slug, undefined)).toMatchObject({ signatures: 2, endorsements: 1, byCountry: { MA: 1, TR: 1 } });
    // The same write that counts also lists: the export index, and the public list for those who chose it.
    expect((await confirmedSignaturePage(slug, { limit: 10 })).items.map((s) => s.email).sort()).toEqual(['deniz@example.org', 'salma@example.org']);
    expect((await listPublicSignatures(slug, { limit: 10 })).items.map((s) => s.name)).toEqual(['salma']);

    expect((await getCounts(other, undefined)).signatures).toBe(0);

    // Every item found now carries its marker and has left the sparse index: a second sweep, or a late replay,
    // counts nothing again.
    const counted = await db().send(new GetCommand({ TableName: tableName(), Key: keys.signature(slug, emailKey('salma@example.org')), ConsistentRead: true }));
    expect(counted.Item).toMatchObject({ countedAt: expect.any(String) });
    expect(counted.Item).not.toHaveProperty('gsi4pk');
    expect(await sweepUncounted(slug, later())).toEqual({ found: 0, counted: 0, failed: 0 });
    expect(await getCounts(slug, undefined)).toMatchObject({ signatures: 2, endorsements: 1 });
  });

  it('leaves confirmations younger than the cut-off to the stream', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Still on the stream' });
    const cutOff = new Date(Date.now() - 1000).toISOString();
    await confirmedButUncounted(slug, [{ email: 'fresh@example.org', country: 'FR' }]);
    await sweepUncounted(slug, cutOff);
    expect((await getCounts(slug, undefined)).signatures).toBe(0);
    await sweepUncounted(slug, later());
    expect((await getCounts(slug, undefined)).signatures).toBe(1);
  });

  it('counts each confirmation once when sweeps run at the same time', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Two sweeps at once' });
    const signers = Array.from({ length: 40 }, (_, i) => ({ email: `racer${i}@example.org`, country: i % 2 ? 'MA' : 'ES' }));
    await confirmedButUncounted(slug, signers);
    const results = await Promise.all([sweepUncounted(slug, later()), sweepUncounted(slug, later()), sweepUncounted(slug, later())]);
    expect(results.every((r) => r.failed === 0)).toBe(true);
    expect(await getCounts(slug, undefined)).toMatchObject({ signatures: 40, byCountry: { MA: 20, ES: 20 } });
  });

  it('runs nightly as one unit of work per open or recently closed campaign, for confirmations more than an hour old', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Found at night' });
    await transitionCampaign(slug, ['draft'], 'open');
    const { slug: draft } = await createCampaign({ ...campaignInput, title: 'Not open yet' });
    const { slug: justClosed } = await createCampaign({ ...campaignInput, title: 'Closed last night' }, { status: 'open' });
    await transitionCampaign(justClosed, ['open'], 'closed');
    const { slug: longClosed } = await createCampaign({ ...campaignInput, title: 'Closed long ago' }, { status: 'open' });
    await transitionCampaign(longClosed, ['open'], 'closed');
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.campaign(longClosed), UpdateExpression: 'SET closedAt = :at', ExpressionAttributeValues: { ':at': '2020-01-01T00:00:00.000Z' } }));
    await confirmedButUncounted(slug, [
      { email: 'old@example.org', country: 'KZ' },
      { email: 'new@example.org', country: 'KZ' },
    ]);
    // One of them was confirmed two hours ago; the other just now, so the stream may still be on it.
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.signature(slug, emailKey('old@example.org')),
        UpdateExpression: 'SET confirmedAt = :at, gsi4sk = :at',
        ExpressionAttributeValues: { ':at': new Date(Date.now() - 2 * 3600_000).toISOString() },
      }),
    );
    published.length = 0;
    const listed = await reconcileCounts();
    const due = published.filter((event) => event.detailType === reconciliationDue);
    const slugs = due.map((event) => (event.detail as { slug: string }).slug);
    // Open campaigns, and those closed within the last two weeks (their late confirmations may still be lost).
    expect(slugs).toEqual(expect.arrayContaining([slug, justClosed]));
    expect(slugs).not.toContain(draft);
    expect(slugs).not.toContain(longClosed);
    expect(listed.campaigns).toBe(due.length);

    const event = due.find((e) => (e.detail as { slug: string }).slug === slug)!;
    const delivery = { source: 'tadamon', 'detail-type': event.detailType, detail: event.detail } as EventBridgeEvent<string, unknown>;
    const result = await reconcileCampaignCounts(delivery);
    expect(result).toMatchObject({ swept: { found: 1, counted: 1, failed: 0 }, reconciled: { campaign: slug, drift: 0 } });
    expect(await getCounts(slug, undefined)).toMatchObject({ signatures: 1, byCountry: { KZ: 1 } });
    // Delivered again (events come at least once): nothing counts twice.
    expect(await reconcileCampaignCounts(delivery)).toMatchObject({ swept: { found: 0 }, reconciled: { drift: 0 } });
    expect((await getCounts(slug, undefined)).signatures).toBe(1);
  });
});
