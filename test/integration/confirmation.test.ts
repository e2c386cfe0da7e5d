import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { confirm, lookUpToken } from '#shared/domain/confirmation.ts';
import { Problem } from '#shared/http/problem.ts';
import { sha256 } from '#shared/ids.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { deriveToken, findToken, issueToken, markTokenMailed } from '#shared/store/token-store.ts';
import { useTestTable } from '#test/support/test-table.ts';

let slug: string;

async function sign(email: string): Promise<{ pk: string; sk: string }> {
  await recordSignature(slug, { name: 'Amina Benali', email, country: 'MA', public: false, subscribe: false });
  return keys.signature(slug, emailKey(email));
}

async function signature(key: { pk: string; sk: string }) {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
}

async function problemFrom(promise: Promise<unknown>): Promise<Problem> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('expected a Problem');
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

  it('are derived: the n-th link of a signature is always the same token, and differs from the others', async () => {
    const subject = await sign('derived@example.org');
    expect(deriveToken(subject.pk, 1)).toBe(deriveToken(subject.pk, 1));
    expect(deriveToken(subject.pk, 1)).not.toBe(deriveToken(subject.pk, 2));
    expect(deriveToken(subject.pk, 1)).toMatch(/^[A-Za-z0-9_-]{20,100}$/);
  });

  it('are stored by hash only, and remember whether their mail went out', async () => {
    const subject = await sign('stored@example.org');
    const token = deriveToken(subject.pk, 1);
    expect(await issueToken(token, 'signature', subject)).toEqual({ mailed: false });
    // A redelivered stream record issues the same token again: not yet mailed, so mail it.
    expect(await issueToken(token, 'signature', subject)).toEqual({ mailed: false });
    await markTokenMailed(token);
    expect(await issueToken(token, 'signature', subject)).toEqual({ mailed: true });

    const tokens = await db().send(
      new ScanCommand({ TableName: tableName(), FilterExpression: '#type = :token', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':token': 'token' } }),
    );
    expect(tokens.Items?.map((i) => i.pk)).toContain(`TOKEN#${sha256(token)}`);
    expect(JSON.stringify(tokens.Items)).not.toContain(token);
    expect(await findToken(token)).toMatchObject({ action: 'signature', subject, mailedAt: expect.any(String) as unknown });
  });

  it('confirm the signature they were issued for', async () => {
    const subject = await sign('confirms@example.org');
    const token = deriveToken(subject.pk, 1);
    await issueToken(token, 'signature', subject);
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
    at('2026-03-01T10:00:00Z');
    const subject = await sign('late@example.org');
    const token = deriveToken(subject.pk, 1);
    await issueToken(token, 'signature', subject);

    at('2026-03-08T09:59:59Z');
    expect((await lookUpToken(token)).action).toBe('signature');

    at('2026-03-08T10:00:00Z');
    const problem = await problemFrom(confirm(token));
    expect(problem.status).toBe(410);
    expect(problem.slug).toBe('gone');
    expect(await signature(subject)).toMatchObject({ status: 'pending' });
  });

  it('take their lifetime from CONFIRMATION_TTL_DAYS', async () => {
    vi.stubEnv('CONFIRMATION_TTL_DAYS', '2');
    resetConfig();
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2026-04-01T00:00:00Z');
    const subject = await sign('short-lived@example.org');
    const token = deriveToken(subject.pk, 1);
    await issueToken(token, 'signature', subject);
    at('2026-04-02T23:00:00Z');
    await expect(lookUpToken(token)).resolves.toMatchObject({ action: 'signature' });
    at('2026-04-03T00:00:01Z');
    expect((await problemFrom(confirm(token))).status).toBe(410);
  });

  it('confirm the same signature once, earlier and later links alike', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2026-05-01T08:00:00Z');
    const subject = await sign('two.links@example.org');
    // The signer asked again: a second link is mailed; the first keeps working.
    await sign('two.links@example.org');
    const first = deriveToken(subject.pk, 1);
    const second = deriveToken(subject.pk, 2);
    await issueToken(first, 'signature', subject);
    at('2026-05-01T09:00:00Z');
    await issueToken(second, 'signature', subject);

    at('2026-05-02T12:00:00Z');
    expect(await confirm(second)).toEqual({ status: 'confirmed', kind: 'signature' });
    const confirmed = await signature(subject);
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmedAt: '2026-05-02T12:00:00.000Z' });

    at('2026-05-03T12:00:00Z');
    expect(await confirm(first)).toEqual({ status: 'confirmed', kind: 'signature' });
    expect(await confirm(second)).toEqual({ status: 'confirmed', kind: 'signature' });
    // The later clicks changed nothing: it was confirmed once, at the first click.
    expect(await signature(subject)).toEqual(confirmed);
  });

  it('answer 410 when what they confirm no longer exists', async () => {
    const subject = keys.signature(slug, emailKey('expired-and-removed@example.org'));
    const token = deriveToken(subject.pk, 1);
    await issueToken(token, 'signature', subject);
    const problem = await problemFrom(confirm(token));
    expect(problem.status).toBe(410);
    expect(await signature(subject)).toBeUndefined();
  });
});
