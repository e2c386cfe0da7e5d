import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { confirmErasure, requestErasure } from '#shared/store/erasure-store.ts';
import { emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { deriveToken, findToken } from '#shared/store/token-store.ts';
import { useTestTable } from '#test/support/test-table.ts';

const sent = vi.hoisted(() => [] as { to: string }[]);
vi.mock('#shared/mail/mailer.ts', () => ({ sendMail: (mail: { to: string }) => Promise.resolve(void sent.push(mail)) }));
const { handler: sendConfirmations } = await import('#functions/streams/send-confirmations.ts');

const erasureKey = (email: string) => ({ pk: `ERASURE#${emailKey(email)}`, sk: 'ERASURE' });

async function item(key: { pk: string; sk: string }) {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
}

function modified(oldImage: Record<string, unknown>, newImage: Record<string, unknown>): DynamoDBStreamEvent {
  return { Records: [{ eventName: 'MODIFY', eventID: '1', dynamodb: { SequenceNumber: '1', OldImage: marshall(oldImage) as never, NewImage: marshall(newImage) as never } }] };
}

describe('erasure requests', () => {
  let slug: string;
  beforeAll(async () => {
    await useTestTable('erasure');
    slug = (await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Erase me' }), { status: 'open' })).slug;
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    resetConfig();
  });

  it('start afresh after a completed erasure, however many links the earlier one took', async () => {
    vi.stubEnv('MAX_CONFIRMATION_MAILS', '2');
    resetConfig();
    const email = 'erased-twice@example.org';
    const key = erasureKey(email);
    await requestErasure(email);
    await requestErasure(email);
    await requestErasure(email);
    expect(await item(key)).toMatchObject({ status: 'unconfirmed', linkRequests: 2 });
    await confirmErasure(key);
    const done = (await item(key))!;
    expect(done).toMatchObject({ status: 'done' });

    // They signed again since, and want that erased too.
    const signature = keys.signature(slug, emailKey(email));
    await recordSignature(slug, { name: 'Signed Again', email, country: 'MA', public: false, subscribe: false });
    await requestErasure(email);
    const reopened = (await item(key))!;
    expect(reopened).toMatchObject({ status: 'unconfirmed', email, linkRequests: 3, expiresAt: expect.any(Number) as unknown });

    await sendConfirmations(modified(done, reopened));
    expect(sent.map((mail) => mail.to)).toEqual([email]);
    expect(await findToken(deriveToken(key.pk, 3))).toMatchObject({ action: 'erasure', subject: key });

    // A new request is bounded like a first one: MAX_CONFIRMATION_MAILS links, then no more.
    await requestErasure(email);
    await requestErasure(email);
    expect(await item(key)).toMatchObject({ linkRequests: 4 });

    await confirmErasure(key);
    expect(await item(key)).toMatchObject({ status: 'done' });
    expect(await item(key)).not.toHaveProperty('email');
    expect(await item(signature)).toBeUndefined();
  });
});
