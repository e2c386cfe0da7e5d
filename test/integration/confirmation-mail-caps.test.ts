import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { confirm, describeRequest } from '#shared/use-cases/confirmation.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { endorsementId, recordEndorsement } from '#shared/store/endorsement-store.ts';
import { takeMailboxAllowance } from '#shared/store/mailbox-cap-store.ts';
import { suppress } from '#shared/store/outreach-store.ts';
import { emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { subscribe } from '#shared/store/subscription-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { deriveToken } from '#shared/store/token-store.ts';
import { sha256 } from '#shared/ids.ts';
import { useTestTable } from '#test/support/test-table.ts';
import { linkMessagesOf } from '#test/support/mail-queues.ts';

const sent = vi.hoisted(() => [] as { to: string; subject: string; text?: string }[]);
vi.mock('#shared/mail/mailer.ts', () => ({ sendMail: (mail: { to: string; subject: string; text?: string }) => Promise.resolve(void sent.push(mail)) }));
const { handler: mailLinks } = await import('#functions/queues/send-confirmations.ts');
const sendConfirmations = (event: DynamoDBStreamEvent) => mailLinks(linkMessagesOf(event));

let slug: string;
// Faked times lie in the future: DynamoDB Local deletes items whose TTL (`expiresAt`) is past by the real clock.
const at = (iso: string) => vi.setSystemTime(new Date(iso));

async function item(key: { pk: string; sk: string }): Promise<Record<string, unknown>> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item ?? {};
}

/** The stream record the table emits when a request is written: new, or a repeat over `before`. */
function written(after: Record<string, unknown>, before?: Record<string, unknown>): DynamoDBStreamEvent {
  const image = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true }) as never;
  return {
    Records: [{ eventName: before ? 'MODIFY' : 'INSERT', eventID: '1', dynamodb: { SequenceNumber: '1', NewImage: image(after), ...(before ? { OldImage: image(before) } : {}) } }],
  };
}

/** Signs and runs the mailer on the resulting record, as the stream would. */
async function signAndMail(email: string, name = 'Amina Benali'): Promise<Record<string, unknown>> {
  const key = keys.signature(slug, emailKey(email));
  const before = await item(key);
  await recordSignature(slug, { name, email, country: 'MA', public: false, subscribe: false });
  const after = await item(key);
  await sendConfirmations(written(after, before.pk ? before : undefined));
  return after;
}

describe('confirmation mail caps', () => {
  beforeAll(async () => {
    await useTestTable('mail-caps');
    slug = (await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Caps' }), { status: 'open' })).slug;
  });

  beforeEach(() => {
    sent.length = 0;
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
    resetConfig();
  });

  it('allow 5 mails a clock hour and 10 a UTC day per mailbox, by default, and reset with time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2036-06-01T10:00:00Z');
    const take = async (n: number, address: string) => {
      const answers = [];
      for (let i = 0; i < n; i++) answers.push(await takeMailboxAllowance(address));
      return answers;
    };
    expect(await take(6, 'hourly@example.org')).toEqual([true, true, true, true, true, false]);
    at('2036-06-01T10:59:59Z');
    expect(await take(1, 'hourly@example.org')).toEqual([false]);
    at('2036-06-01T11:00:00Z');
    expect(await take(6, 'hourly@example.org')).toEqual([true, true, true, true, true, false]);
    // Ten today: a later hour has room of its own, but the day has none left.
    at('2036-06-01T15:00:00Z');
    expect(await take(1, 'hourly@example.org')).toEqual([false]);
    at('2036-06-02T00:00:00Z');
    expect(await take(1, 'hourly@example.org')).toEqual([true]);
  });

  it('count every plus-tag of a mailbox, on any domain, as the same mailbox', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2036-06-03T10:00:00Z');
    const answers = [];
    for (let i = 1; i <= 6; i++) answers.push(await takeMailboxAllowance(`Victim+${i}@Example.org`));
    expect(answers).toEqual([true, true, true, true, true, false]);
    expect(await takeMailboxAllowance('victim@example.org')).toBe(false);
    // Another mailbox at the same domain has its own allowance.
    expect(await takeMailboxAllowance('neighbour@example.org')).toBe(true);
  });

  it('take their numbers from MAILBOX_MAILS_PER_HOUR and MAILBOX_MAILS_PER_DAY', async () => {
    vi.stubEnv('MAILBOX_MAILS_PER_HOUR', '2');
    vi.stubEnv('MAILBOX_MAILS_PER_DAY', '3');
    resetConfig();
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2036-06-04T10:00:00Z');
    expect([await takeMailboxAllowance('set@example.org'), await takeMailboxAllowance('set@example.org'), await takeMailboxAllowance('set@example.org')]).toEqual([true, true, false]);
    at('2036-06-04T11:00:00Z');
    expect([await takeMailboxAllowance('set@example.org'), await takeMailboxAllowance('set@example.org')]).toEqual([true, false]);
  });

  it('hold back mail past the cap across actions and campaigns, and say so on the token so redelivery does not mail it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2036-06-05T10:00:00Z');
    const email = 'flooded@example.org';
    const other = (await createCampaign(campaignInputSchema.parse({ kind: 'statement', title: 'Another' }), { status: 'open' })).slug;
    // Endorsements under ever new organisation names, a subscription and signatures on two campaigns.
    for (let i = 0; i < 3; i++) {
      const input = { organisation: `Organisation ${i}`, country: 'MA', email: `flooded+org${i}@example.org` };
      await recordEndorsement(other, input);
      const endorsement = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.endorsement(endorsementId(other, input)) }))).Item!;
      await sendConfirmations(written(endorsement));
    }
    await subscribe({ email, urgent: true, digest: 'weekly', countries: [], topics: [] });
    await sendConfirmations(written(await item(keys.subscriber(emailKey(email)))));
    await signAndMail(email);
    expect(sent).toHaveLength(5);
    const held = await signAndMail(email, 'Sixth Request');
    expect(sent).toHaveLength(5);
    const token = deriveToken(String(held.pk), String(held.requestId));
    expect(await item(keys.token(sha256(token)))).toMatchObject({ withheldFor: 'mailbox-cap' });
    // The same record again (at-least-once delivery): nothing is sent, and the cap is not spent again.
    await sendConfirmations(written(held));
    expect(sent).toHaveLength(5);

    // An hour later the owner asks again and gets their link.
    at('2036-06-05T11:00:00Z');
    await signAndMail(email, 'Amina Benali');
    expect(sent.map((mail) => mail.to)).toHaveLength(6);
  });

  it('leave the owner of a flooded address able to confirm their own newest request with a link they received', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2036-06-06T10:00:00Z');
    const email = 'owner@example.org';
    for (let i = 0; i < 7; i++) await signAndMail(email, `Prankster ${i}`);
    expect(sent).toHaveLength(5);
    // The owner signs; this hour's mails are spent, so no new link comes.
    const owners = await signAndMail(email, 'Amina Benali');
    expect(sent).toHaveLength(5);
    // The first mail the flood sent them shows, and confirms, the owner's request.
    const link = /\/confirm\/([A-Za-z0-9_-]+)/.exec(String(sent[0]?.text))?.[1] ?? '';
    const shown = await describeRequest(link);
    expect(shown.item).toMatchObject({ name: 'Amina Benali' });
    expect(shown.requestId).toBe(owners.requestId);
    expect(await confirm(link, shown.requestId)).toEqual({ status: 'confirmed', kind: 'signature' });
    expect(await item(keys.signature(slug, emailKey(email)))).toMatchObject({ status: 'confirmed', name: 'Amina Benali' });
  });

  it('send no confirmation mail to a suppressed address (hard bounce, complaint)', async () => {
    const email = 'bounced@example.org';
    await suppress(emailKey(email), 'bounce');
    const held = await signAndMail(email);
    expect(sent).toEqual([]);
    expect(await item(keys.token(sha256(deriveToken(String(held.pk), String(held.requestId)))))).toMatchObject({ withheldFor: 'suppressed' });
  });

  it('mail each request once: a redelivered record finds its token mailed', async () => {
    const email = 'once@example.org';
    const first = await signAndMail(email);
    await sendConfirmations(written(first));
    expect(sent.map((mail) => mail.to)).toEqual([email]);
  });
});
