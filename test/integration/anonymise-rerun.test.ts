import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as anonymiseClosed } from '#functions/schedules/anonymise-closed-campaigns.ts';
import { createCampaign, transitionCampaign } from '#shared/store/campaign-store.ts';
import { countConfirmations } from '#shared/store/counting.ts';
import { eraseItem } from '#shared/store/erasure-store.ts';
import { partitions } from '#shared/store/layout.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

const campaignInput = { kind: 'petition' as const, summary: '', body: '', demands: [], locale: 'en', translations: {}, countries: [], topics: [], urgent: false };

async function item(key: { pk: string; sk: string }) {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item ?? {};
}

/**
 * The anonymous items a campaign's counts rest on after anonymisation (they stay in the export index, in the
 * shard of their new id, whichever partition the original was in).
 */
async function remains(slug: string) {
  const found: Record<string, unknown>[] = [];
  for (const partition of partitions.allCountedSignatures(slug)) {
    const page = await db().send(
      new QueryCommand({ TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': partition } }),
    );
    found.push(...(page.Items ?? []).filter((stored) => stored.status === 'erased'));
  }
  return found;
}

describe('anonymising closed campaigns', () => {
  beforeAll(async () => {
    await useTestTable('anonymise');
  });

  it('continues where a stopped run left off, leaving signatures it already anonymised alone', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Stopped half way' }, { status: 'open' });
    const signers = ['first@example.org', 'second@example.org'].map((email) => ({ email, key: keys.signature(slug, emailKey(email)) }));
    for (const [i, { email, key }] of signers.entries()) {
      await recordSignature(slug, { name: `Signer ${i}`, email, country: 'MA', public: true, subscribe: false });
      await confirmSignature(key);
      await countConfirmations([{ campaign: slug, key, counter: 'signatures', country: 'MA', listing: { gsi2pk: `CONFIRMED#${slug}`, gsi2sk: String(i) } }]);
    }
    await transitionCampaign(slug, ['open'], 'closed');
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.campaign(slug), UpdateExpression: 'SET closedAt = :at', ExpressionAttributeValues: { ':at': '2020-01-01T00:00:00.000Z' } }));

    // The earlier run anonymised the first signature and stopped before marking the campaign.
    const [first, second] = signers as [(typeof signers)[number], (typeof signers)[number]];
    expect(await eraseItem(await item(first.key))).toBe(true);
    const remainsOfFirst = await remains(slug);
    expect(remainsOfFirst).toHaveLength(1);

    expect((await anonymiseClosed()).anonymised).toContain(slug);
    expect(await item(first.key)).toEqual({});
    expect(await item(second.key)).toEqual({});
    const after = await remains(slug);
    expect(after).toHaveLength(2);
    // The first one's remains were left alone, not anonymised again under yet another key.
    expect(after).toContainEqual(remainsOfFirst[0]);
    for (const remainder of after) {
      expect(remainder).toMatchObject({ status: 'erased', country: 'MA', campaign: slug });
      expect(remainder).not.toHaveProperty('name');
    }
  });
});
