import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { deriveToken, findToken } from '#shared/store/token-store.ts';
import { confirm } from '#shared/use-cases/confirmation.ts';
import { useTestTable } from '#test/support/test-table.ts';
import { linkMessagesOf } from '#test/support/mail-queues.ts';
import { GoneError } from '#shared/domain/errors.ts';

const sent = vi.hoisted(() => [] as { to: string; text?: string }[]);
vi.mock('#shared/mail/mailer.ts', () => ({ sendMail: (mail: { to: string }) => Promise.resolve(void sent.push(mail)) }));
const { handler: mailLinks } = await import('#functions/queues/send-confirmations.ts');
const sendConfirmations = (event: DynamoDBStreamEvent) => mailLinks(linkMessagesOf(event));

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

  it('is a new link, mailed and valid, and the old one does not confirm the new request', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Signed twice a fortnight apart' });
    const email = 'late@example.org';
    const key = keys.signature(slug, emailKey(email));
    await recordSignature(slug, { name: 'Late', email, country: 'MA', public: false, subscribe: false });
    const first = await item(key);
    await sendConfirmations(inserted(first));
    expect(sent.map((m) => m.to)).toEqual([email]);
    const oldLink = deriveToken(key.pk, String(first.requestId));

    // Never confirmed: DynamoDB's TTL deletes the pending signature; its token item is kept longer, mailed.
    await db().send(new DeleteCommand({ TableName: tableName(), Key: key }));
    await recordSignature(slug, { name: 'Late', email, country: 'MA', public: false, subscribe: false });
    const again = await item(key);
    expect(again).toMatchObject({ status: 'pending', linkRequests: 1 });
    expect(again.generation).not.toBe(first.generation);
    await sendConfirmations(inserted(again));

    expect(sent.map((m) => m.to)).toEqual([email, email]);
    const newLink = deriveToken(key.pk, String(again.requestId));
    expect(newLink).not.toBe(oldLink);
    const token = await findToken(newLink);
    expect(Date.parse(token!.expiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    // The old link was for the deleted item: it confirms nothing now.
    await expect(confirm(oldLink)).rejects.toBeInstanceOf(GoneError);
    expect(await item(key)).toMatchObject({ status: 'pending' });

    // A redelivery of the same record still sends nothing more.
    await sendConfirmations(inserted(again));
    expect(sent).toHaveLength(2);
  });
});
