import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { sha256 } from '#shared/ids.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { deriveToken } from '#shared/store/token-store.ts';
import { sqsEvent } from '#test/support/mail-queues.ts';
import { useTestTable } from '#test/support/test-table.ts';

const mail = vi.hoisted(() => ({ sent: [] as { to: string }[], failures: [] as Error[] }));
vi.mock('#shared/mail/mailer.ts', () => ({
  sendMail: (outgoing: { to: string }) => {
    const failure = mail.failures.shift();
    if (failure) return Promise.reject(failure);
    mail.sent.push(outgoing);
    return Promise.resolve('message-id');
  },
}));
const { handler: sendConfirmations } = await import('#functions/queues/send-confirmations.ts');

let slug: string;

async function item(key: { pk: string; sk: string }): Promise<Record<string, unknown>> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item ?? {};
}

/** Signs, and answers the message the router puts on the confirmation-mail queue for it. */
async function sign(email: string): Promise<{ body: { key: { pk: string; sk: string }; requestId: string; generation?: string }; token: string }> {
  await recordSignature(slug, { name: 'Amina Benali', email, country: 'MA', public: false, subscribe: false });
  const key = keys.signature(slug, emailKey(email));
  const stored = await item(key);
  const requestId = String(stored.requestId);
  return { body: { key, requestId, generation: String(stored.generation) }, token: deriveToken(key.pk, requestId) };
}

const failed = (response: unknown) => (response as { batchItemFailures: unknown[] }).batchItemFailures.length;

describe('confirmation links from their queue', () => {
  beforeAll(async () => {
    await useTestTable('confirmation-queue');
    process.env.SES_RATE_PER_SECOND = '1000';
    resetConfig();
    slug = (await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Queued links' }), { status: 'open' })).slug;
  });

  beforeEach(() => {
    mail.sent.length = 0;
    mail.failures.length = 0;
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    resetConfig();
  });

  it('mails a link once when its message comes twice at the same time, and again later', async () => {
    const { body, token } = await sign('twice@example.org');
    const answers = await Promise.all([sendConfirmations(sqsEvent([body])), sendConfirmations(sqsEvent([body]))]);
    expect(answers.map(failed)).toEqual([0, 0]);
    await sendConfirmations(sqsEvent([body], 2));
    expect(mail.sent.map((m) => m.to)).toEqual(['twice@example.org']);
    expect(await item(keys.token(sha256(token)))).toHaveProperty('mailedAt');
  });

  it('hands a throttled link back to its queue, and sends it on the next delivery without spending the mailbox cap twice', async () => {
    vi.stubEnv('MAILBOX_MAILS_PER_HOUR', '1');
    resetConfig();
    const { body, token } = await sign('throttled@example.org');
    // SES keeps throttling through the sender's own quick retries.
    mail.failures.push(...Array.from({ length: 3 }, () => Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' })));
    expect(failed(await sendConfirmations(sqsEvent([body])))).toBe(1);
    expect(mail.sent).toEqual([]);
    const waiting = await item(keys.token(sha256(token)));
    expect(waiting).not.toHaveProperty('mailedAt');
    expect(waiting).not.toHaveProperty('mailLeaseUntil');

    // One mail an hour for this mailbox: the retry must not count a second, or it would be withheld.
    expect(failed(await sendConfirmations(sqsEvent([body], 2)))).toBe(0);
    expect(mail.sent.map((m) => m.to)).toEqual(['throttled@example.org']);
  });

  it('records a link SES rejects for good and never tries it again', async () => {
    const { body, token } = await sign('rejected@example.org');
    mail.failures.push(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    expect(failed(await sendConfirmations(sqsEvent([body])))).toBe(0);
    expect(await item(keys.token(sha256(token)))).toMatchObject({ withheldFor: 'rejected' });
    await sendConfirmations(sqsEvent([body], 2));
    expect(mail.sent).toEqual([]);
  });

  it('mails each request its own link, even one a repeat replaced meanwhile, and none for an item made again since', async () => {
    const first = await sign('repeat@example.org');
    const second = await sign('repeat@example.org');
    expect(second.body.requestId).not.toBe(first.body.requestId);
    await sendConfirmations(sqsEvent([first.body, second.body]));
    expect(mail.sent.map((m) => m.to)).toEqual(['repeat@example.org', 'repeat@example.org']);
    expect(await item(keys.token(sha256(first.token)))).toHaveProperty('mailedAt');
    expect(await item(keys.token(sha256(second.token)))).toHaveProperty('mailedAt');

    // A message for the item as it was before an erasure names its generation: the new item is not its.
    const generation = String((await item(second.body.key)).generation);
    mail.sent.length = 0;
    await sendConfirmations(sqsEvent([{ ...second.body, requestId: 'an-older-request', generation: `not-${generation}` }]));
    expect(mail.sent).toEqual([]);
  });

  it('drops a message that is not a link request, without retrying it', async () => {
    expect(failed(await sendConfirmations(sqsEvent([{ key: { pk: 'SIGNATURE#x' } }])))).toBe(0);
    expect(mail.sent).toEqual([]);
  });
});
