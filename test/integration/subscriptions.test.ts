import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { emailKey } from '#shared/store/signature-store.ts';
import { confirmSubscription, subscribe, unsubscribe } from '#shared/store/subscription-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { deriveToken, findToken } from '#shared/store/token-store.ts';
import { useTestTable } from '#test/support/test-table.ts';
import { linkMessagesOf } from '#test/support/mail-queues.ts';

const sent = vi.hoisted(() => [] as { to: string }[]);
vi.mock('#shared/mail/mailer.ts', () => ({ sendMail: (mail: { to: string }) => Promise.resolve(void sent.push(mail)) }));
const { handler: mailLinks } = await import('#functions/queues/send-confirmations.ts');
const sendConfirmations = (event: DynamoDBStreamEvent) => mailLinks(linkMessagesOf(event));

const preferences = { urgent: true, digest: 'weekly' as const, countries: [], topics: [] };

async function subscriberItem(email: string) {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: keys.subscriber(emailKey(email)), ConsistentRead: true }))).Item ?? {};
}

function modified(oldImage: Record<string, unknown>, newImage: Record<string, unknown>): DynamoDBStreamEvent {
  return {
    Records: [
      { eventName: 'MODIFY', eventID: '1', dynamodb: { SequenceNumber: '1', OldImage: marshall(oldImage, { removeUndefinedValues: true }) as never, NewImage: marshall(newImage, { removeUndefinedValues: true }) as never } },
    ],
  };
}

describe('subscriptions', () => {
  beforeAll(async () => {
    await useTestTable('subscriptions');
  });

  it('mails its own link to someone who ticked "keep me updated" when signing, then subscribed directly', async () => {
    const email = 'ticked-then-direct@example.org';
    const signature = keys.signature('some-campaign', emailKey(email));
    expect(await subscribe({ email, name: 'Amina', ...preferences }, { confirmedBy: signature })).toBe('recorded');
    const whileSigning = await subscriberItem(email);
    expect(whileSigning.confirmedBy).toEqual(signature);

    // They never clicked the signature's link, and now ask on the subscription form.
    expect(await subscribe({ email, ...preferences })).toBe('link-requested');
    const direct = await subscriberItem(email);
    expect(direct).not.toHaveProperty('confirmedBy');
    expect(direct).toMatchObject({ status: 'unconfirmed', linkRequests: 2 });

    await sendConfirmations(modified(whileSigning, direct));
    expect(sent.map((mail) => mail.to)).toEqual([email]);
    expect(await findToken(deriveToken(keys.subscriber(emailKey(email)).pk, String(direct.requestId)))).toMatchObject({ action: 'subscription' });
  });

  it('keeps a subscription asked for while signing confirmed by the signature when they sign again', async () => {
    const email = 'signs-twice@example.org';
    const first = keys.signature('first-campaign', emailKey(email));
    const second = keys.signature('second-campaign', emailKey(email));
    await subscribe({ email, ...preferences }, { confirmedBy: first });
    expect(await subscribe({ email, ...preferences }, { confirmedBy: second })).toBe('link-requested');
    expect((await subscriberItem(email)).confirmedBy).toEqual(second);
  });

  it('asks someone who unsubscribed and comes back for a fresh confirmation, with their new preferences', async () => {
    const email = 'comes-back@example.org';
    const key = keys.subscriber(emailKey(email));
    await subscribe({ email, ...preferences });
    await confirmSubscription(key);
    expect(await subscribe({ email, ...preferences, countries: ['TR'] })).toBe('unchanged');
    await unsubscribe(emailKey(email));
    expect(await subscribe({ email, ...preferences, countries: ['MA'] })).toBe('link-requested');
    expect(await subscriberItem(email)).toMatchObject({ status: 'unconfirmed', countries: ['MA'], linkRequests: 2, expiresAt: expect.any(Number) as unknown });
  });
});
