import { DeleteCommand, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { confirm, describeRequest, lookUpToken } from '#shared/use-cases/confirmation.ts';
import { sha256 } from '#shared/ids.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { deriveToken, findToken, issueLeasedToken, issueToken, leaseTokenMail, markTokenMailed, releaseTokenMail } from '#shared/store/token-store.ts';
import { useTestTable } from '#test/support/test-table.ts';
import { problemFrom } from '#test/support/problems.ts';

let slug: string;

async function sign(email: string): Promise<{ pk: string; sk: string }> {
  await recordSignature(slug, { name: 'Amina Benali', email, country: 'MA', public: false, subscribe: false });
  return keys.signature(slug, emailKey(email));
}

async function signature(key: { pk: string; sk: string }) {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
}

/** The link the mailer derives for the request as it stands, and the item it is issued for. */
async function link(key: { pk: string; sk: string }): Promise<{ token: string; image: Record<string, unknown> }> {
  const image = (await signature(key)) ?? {};
  return { token: deriveToken(key.pk, String(image.requestId)), image };
}

const at = (iso: string) => vi.setSystemTime(new Date(iso));

describe('confirmation links', () => {
  beforeAll(async () => {
    await useTestTable('confirmation');
    slug = (await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Confirm me' }), { status: 'open' })).slug;
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
    resetConfig();
  });

  it('are derived from the request: the same for a redelivered record, new for every request, even of one person', async () => {
    const subject = await sign('derived@example.org');
    const first = await link(subject);
    expect(deriveToken(subject.pk, String(first.image.requestId))).toBe(first.token);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{20,100}$/);
    await sign('derived@example.org');
    const second = await link(subject);
    expect(second.image.requestId).not.toBe(first.image.requestId);
    expect(second.token).not.toBe(first.token);
  });

  it('are never mailed again for a request made after the first item was deleted, and the old link does not confirm it', async () => {
    const subject = await sign('erased-and-back@example.org');
    const old = await link(subject);
    await issueToken(old.token, 'signature', subject, old.image);
    await db().send(new DeleteCommand({ TableName: tableName(), Key: subject }));
    await sign('erased-and-back@example.org');
    const fresh = await link(subject);
    expect(fresh.token).not.toBe(old.token);
    const problem = await problemFrom(confirm(old.token));
    expect(problem.status).toBe(410);
    expect(await signature(subject)).toMatchObject({ status: 'pending' });
    await issueToken(fresh.token, 'signature', subject, fresh.image);
    expect(await confirm(fresh.token)).toEqual({ status: 'confirmed', kind: 'signature' });
  });

  it("lease their mail to one sender at a time, until the lease runs out or is given back, and never once it went out", async () => {
    const subject = await sign('leased@example.org');
    const { token } = await link(subject);
    vi.useFakeTimers({ now: new Date('2036-03-01T10:00:00Z'), toFake: ['Date'] });
    // The first sender stores the token with its lease; a second delivery of the message finds it held.
    expect(await issueLeasedToken(token, 'signature', subject, {}, 120)).toEqual({ leased: true });
    expect(await issueLeasedToken(token, 'signature', subject, {}, 120)).toEqual({ leased: false, mail: undefined });
    expect(await leaseTokenMail(token, 120)).toEqual({ leased: false, allowanceTaken: false });
    // A sender that died: its lease runs out, and the next delivery takes it over, then holds it.
    vi.setSystemTime(new Date('2036-03-01T10:02:01Z'));
    expect(await leaseTokenMail(token, 120)).toEqual({ leased: true, allowanceTaken: false });
    expect(await leaseTokenMail(token, 120)).toEqual({ leased: false, allowanceTaken: false });
    // Given back after a throttled send, with the mailbox's allowance already spent: the next one need not spend it.
    await releaseTokenMail(token);
    expect(await leaseTokenMail(token, 120)).toEqual({ leased: true, allowanceTaken: true });
    await markTokenMailed(token);
    vi.setSystemTime(new Date('2036-03-01T11:00:00Z'));
    expect(await leaseTokenMail(token, 120)).toEqual({ leased: false, allowanceTaken: false });
    expect(await issueLeasedToken(token, 'signature', subject, {}, 120)).toEqual({ leased: false, mail: 'sent' });
    vi.useRealTimers();
  });

  it('are stored by hash only, and remember whether their mail went out', async () => {
    const subject = await sign('stored@example.org');
    const { token } = await link(subject);
    expect(await issueToken(token, 'signature', subject)).toEqual({ mail: undefined });
    // A redelivered stream record issues the same token again: not yet mailed, so mail it.
    expect(await issueToken(token, 'signature', subject)).toEqual({ mail: undefined });
    await markTokenMailed(token);
    expect(await issueToken(token, 'signature', subject)).toEqual({ mail: 'sent' });

    const tokens = await db().send(
      new ScanCommand({ TableName: tableName(), FilterExpression: '#type = :token', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':token': 'token' } }),
    );
    expect(tokens.Items?.map((i) => i.pk)).toContain(`TOKEN#${sha256(token)}`);
    expect(JSON.stringify(tokens.Items)).not.toContain(token);
    expect(await findToken(token)).toMatchObject({ action: 'signature', subject, mailedAt: expect.any(String) as unknown });
  });

  it('confirm the signature they were issued for', async () => {
    const subject = await sign('confirms@example.org');
    const { token, image } = await link(subject);
    await issueToken(token, 'signature', subject, image);
    expect(await confirm(token)).toEqual({ status: 'confirmed', kind: 'signature' });
    expect(await signature(subject)).toMatchObject({ status: 'confirmed' });
  });

  it.each([
    ['a well-formed token nobody issued', 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCd'],
    ['a token too short to be one', 'abc'],
    ['a token with characters tokens never have', '../../etc/passwd-or-something-long'],
    ['nothing', ''],
  ])('answer 404 for %s', async (_what, token) => {
    const problem = await problemFrom(confirm(token));
    expect(problem.status).toBe(404);
    expect(problem.body.type).toBe('https://tadamon.org/problems/not-found');
  });

  it('answer 410 once expired (7 days by default), and change nothing', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2036-03-01T10:00:00Z');
    const subject = await sign('late@example.org');
    const { token, image } = await link(subject);
    await issueToken(token, 'signature', subject, image);

    at('2036-03-08T09:59:59Z');
    expect((await lookUpToken(token)).action).toBe('signature');

    at('2036-03-08T10:00:00Z');
    const problem = await problemFrom(confirm(token));
    expect(problem.status).toBe(410);
    expect(problem.slug).toBe('gone');
    expect(await signature(subject)).toMatchObject({ status: 'pending' });
  });

  it('take their lifetime from CONFIRMATION_TTL_DAYS', async () => {
    vi.stubEnv('CONFIRMATION_TTL_DAYS', '2');
    resetConfig();
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2036-04-01T00:00:00Z');
    const subject = await sign('short-lived@example.org');
    const { token, image } = await link(subject);
    await issueToken(token, 'signature', subject, image);
    at('2036-04-02T23:00:00Z');
    await expect(lookUpToken(token)).resolves.toMatchObject({ action: 'signature' });
    at('2036-04-03T00:00:01Z');
    expect((await problemFrom(confirm(token))).status).toBe(410);
  });

  it('confirm the same signature once, earlier and later links alike', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2036-05-01T08:00:00Z');
    const subject = await sign('two.links@example.org');
    const first = await link(subject);
    await issueToken(first.token, 'signature', subject, first.image);
    // The signer asked again: a second link is mailed; the first keeps working.
    at('2036-05-01T09:00:00Z');
    await sign('two.links@example.org');
    const second = await link(subject);
    await issueToken(second.token, 'signature', subject, second.image);

    at('2036-05-02T12:00:00Z');
    expect(await confirm(second.token)).toEqual({ status: 'confirmed', kind: 'signature' });
    const confirmed = await signature(subject);
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmedAt: '2036-05-02T12:00:00.000Z' });

    at('2036-05-03T12:00:00Z');
    expect(await confirm(first.token)).toEqual({ status: 'confirmed', kind: 'signature' });
    expect(await confirm(second.token)).toEqual({ status: 'confirmed', kind: 'signature' });
    // The later clicks changed nothing: it was confirmed once, at the first click.
    expect(await signature(subject)).toEqual(confirmed);
  });

  it("show the address owner's newest request through any of their links, and confirm exactly what was shown", async () => {
    const email = 'owner@example.org';
    // Someone who knows the address signs first, with fields of their choosing: its link goes to the owner.
    await recordSignature(slug, { name: 'Prankster Pick', email, country: 'FR', public: true, subscribe: false, comment: 'verify at https://evil.example' });
    const subject = keys.signature(slug, emailKey(email));
    const attackers = await link(subject);
    await issueToken(attackers.token, 'signature', subject, attackers.image);
    // The owner signs with their own fields; their own (newer) link may not even have been mailed yet.
    await recordSignature(slug, { name: 'Amina Benali', email, country: 'MA', public: false, subscribe: false });
    const shown = await describeRequest(attackers.token);
    expect(shown).toMatchObject({ action: 'signature', confirmed: false, item: { name: 'Amina Benali', country: 'MA', public: false } });
    expect(shown.item).not.toHaveProperty('comment');

    // A request made after the page was opened is not confirmed in place of the one it showed.
    await recordSignature(slug, { name: 'Prankster Again', email, country: 'FR', public: true, subscribe: false });
    const problem = await problemFrom(confirm(attackers.token, shown.requestId));
    expect(problem.status).toBe(409);
    expect(problem.slug).toBe('request-changed');
    expect(await signature(subject)).toMatchObject({ status: 'pending', name: 'Prankster Again' });

    // The owner looks again (the page now shows the newest request), signs again, and confirms what they see.
    await recordSignature(slug, { name: 'Amina Benali', email, country: 'MA', public: false, subscribe: false });
    const again = await describeRequest(attackers.token);
    expect(again.item).toMatchObject({ name: 'Amina Benali' });
    expect(await confirm(attackers.token, again.requestId)).toEqual({ status: 'confirmed', kind: 'signature' });
    expect(await signature(subject)).toMatchObject({ status: 'confirmed', name: 'Amina Benali', country: 'MA', public: false });
    expect((await describeRequest(attackers.token)).confirmed).toBe(true);
  });

  it('answer 410 when what they confirm no longer exists', async () => {
    const subject = keys.signature(slug, emailKey('expired-and-removed@example.org'));
    const { token, image } = await link(subject);
    await issueToken(token, 'signature', subject, image);
    const problem = await problemFrom(confirm(token));
    expect(problem.status).toBe(410);
    expect(await signature(subject)).toBeUndefined();
  });
});
