import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { deriveToken, findToken } from '#shared/store/token-store.ts';
import { useTestTable } from '#test/support/test-table.ts';

const sent = vi.hoisted(() => [] as { to: string; text?: string }[]);
vi.mock('#shared/mail/mailer.ts', () => ({ sendMail: (mail: { to: string }) => Promise.resolve(void sent.push(mail)) }));
const { handler: sendConfirmations } = await import('#functions/streams/send-confirmations.ts');

const campaignInput = { kind: 'petition' as const, summary: '', body: '', demands: [], locale: 'en', translations: {}, countries: [], topics: [], urgent: false };

function inserted(item: Record<string, unknown>): DynamoDBStreamEvent {
  return { Records: [{ eventName: 'INSERT', eventID: '1', dynamodb: { SequenceNumber: '1', NewImage: marshall(item, { removeUndefinedValues: true }) as never } }] };
}

async function item(key: { pk: string; sk: string }) {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item ?? {};
}

describe('a confirmation link asked for again after the first request expired', () => {
  beforeAll(async () => {
    await useTestTable('link-after-expiry');
  });

  it('is mailed again, and valid again, though it is the same derived link', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Signed twice a fortnight apart' });
    const email = 'late@example.org';
    const key = keys.signature(slug, emailKey(email));
    await recordSignature(slug, { name: 'Late', email, country: 'MA', public: false, subscribe: false });
    await sendConfirmations(inserted(await item(key)));
    expect(sent.map((m) => m.to)).toEqual([email]);

    // Never confirmed: DynamoDB's TTL deletes the pending signature; its token item is kept longer, mailed.
    await db().send(new DeleteCommand({ TableName: tableName(), Key: key }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await recordSignature(slug, { name: 'Late', email, country: 'MA', public: false, subscribe: false });
    const again = await item(key);
    expect(again).toMatchObject({ status: 'pending', linkRequests: 1 });
    await sendConfirmations(inserted(again));

    expect(sent.map((m) => m.to)).toEqual([email, email]);
    const token = await findToken(deriveToken(key.pk, 1));
    expect(Date.parse(token!.expiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    // A redelivery of the same record still sends nothing more.
    await sendConfirmations(inserted(again));
    expect(sent).toHaveLength(2);
  });
});
