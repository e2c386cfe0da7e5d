import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import type { SignatureInput } from '#shared/domain/signature.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

let slug: string;

const signer = (email: string, name = 'Amina Benali'): SignatureInput => ({ name, email, country: 'MA', public: false, subscribe: false });

async function signaturesOf(campaign: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: '#type = :signature AND campaign = :campaign',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':signature': 'signature', ':campaign': campaign },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function item(email: string): Promise<Record<string, unknown> | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: keys.signature(slug, emailKey(email)), ConsistentRead: true }))).Item;
}

describe('recording and confirming signatures', () => {
  beforeAll(async () => {
    await useTestTable('signatures');
    slug = (await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Free Nasser Zefzafi' }), { status: 'open' })).slug;
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.useRealTimers();
    resetConfig();
  });

  it('records a pending signature with what the signer sent', async () => {
    expect(await recordSignature(slug, { ...signer('first@example.org'), postcode: '20000', public: true })).toBe('recorded');
    expect(await item('first@example.org')).toMatchObject({
      type: 'signature',
      campaign: slug,
      name: 'Amina Benali',
      email: 'first@example.org',
      country: 'MA',
      postcode: '20000',
      public: true,
      status: 'pending',
      linkRequests: 1,
    });
  });

  it('keys a signature by an HMAC of the address, never by the address itself', async () => {
    await recordSignature(slug, signer('Private.Person@Example.org'));
    const stored = (await signaturesOf(slug)).find((s) => s.email === 'Private.Person@Example.org')!;
    expect(String(stored.pk)).not.toContain('private');
    expect(String(stored.pk)).not.toContain('example');
    expect(stored.pk).toBe(keys.signature(slug, emailKey('private.person@example.org')).pk);
  });

  it('treats another alias of the same Gmail address as a repeat: a new link, still one signature, the newest request decides', async () => {
    expect(await recordSignature(slug, signer('Nasser.Friend+petition@gmail.com'))).toBe('recorded');
    expect(await recordSignature(slug, signer('nasserfriend@googlemail.com', 'Someone Else'))).toBe('link-requested');
    const mine = (await signaturesOf(slug)).filter((s) => s.pk === keys.signature(slug, emailKey('nasserfriend@gmail.com')).pk);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ name: 'Someone Else', email: 'nasserfriend@googlemail.com', linkRequests: 2, status: 'pending' });
  });

  it('keeps dotted addresses at other providers apart', async () => {
    expect(await recordSignature(slug, signer('a.b@example.net'))).toBe('recorded');
    expect(await recordSignature(slug, signer('ab@example.net'))).toBe('recorded');
  });

  it("replaces a pending signature's fields with the newest request's, dropping what it leaves out, and keeps its id", async () => {
    const email = 'target@example.org';
    // Someone who knows the address signs first, with a name, a public listing and a comment of their choosing.
    await recordSignature(slug, { name: 'Not Me', email, country: 'FR', public: true, subscribe: true, comment: 'Visit https://evil.example', postcode: '75001', locale: 'fr' });
    const first = await item(email);
    // The owner signs with their own fields.
    expect(await recordSignature(slug, { name: 'Amina Benali', email, country: 'MA', public: false, subscribe: false })).toBe('link-requested');
    const mine = await item(email);
    expect(mine).toMatchObject({ name: 'Amina Benali', country: 'MA', public: false, subscribe: false, status: 'pending', id: first?.id, createdAt: first?.createdAt });
    expect(mine).not.toHaveProperty('comment');
    expect(mine).not.toHaveProperty('postcode');
    expect(mine).not.toHaveProperty('locale');
    expect(mine?.requestId).not.toBe(first?.requestId);
  });

  it('lets nobody lock a pending signature: every repeat, however many, is a new request the owner can confirm', async () => {
    const email = 'persistent@example.org';
    const outcomes = [];
    for (let i = 0; i < 12; i++) outcomes.push(await recordSignature(slug, signer(email, `Name ${i}`)));
    expect(outcomes).toEqual(['recorded', ...Array.from({ length: 11 }, () => 'link-requested')]);
    expect(await item(email)).toMatchObject({ linkRequests: 12, name: 'Name 11', status: 'pending' });
    await recordSignature(slug, signer(email, 'The Owner'));
    expect(await confirmSignature(keys.signature(slug, emailKey(email)))).toBe('confirmed');
    expect(await item(email)).toMatchObject({ name: 'The Owner', status: 'confirmed' });
  });

  it('moves the expiry of a pending signature forward when a new link is asked for', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2036-03-01T00:00:00Z'));
    await recordSignature(slug, signer('later@example.org'));
    const first = Number((await item('later@example.org'))?.expiresAt);
    expect(first).toBe(Date.parse('2036-03-08T00:00:00Z') / 1000);
    vi.setSystemTime(new Date('2036-03-03T00:00:00Z'));
    await recordSignature(slug, signer('later@example.org'));
    expect(Number((await item('later@example.org'))?.expiresAt)).toBe(Date.parse('2036-03-10T00:00:00Z') / 1000);
  });

  it('confirms a pending signature once: confirmed, then already-confirmed', async () => {
    const email = 'confirm.me@example.org';
    await recordSignature(slug, signer(email));
    const key = keys.signature(slug, emailKey(email));
    expect(await confirmSignature(key)).toBe('confirmed');
    const confirmed = await item(email);
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmedAt: expect.any(String) as unknown });
    // Confirmed signatures no longer expire.
    expect(confirmed).not.toHaveProperty('expiresAt');

    expect(await confirmSignature(key)).toBe('already-confirmed');
    expect(await item(email)).toEqual(confirmed);
  });

  it('changes nothing when a confirmed signer signs again', async () => {
    const email = 'signed.before@example.org';
    await recordSignature(slug, signer(email));
    await confirmSignature(keys.signature(slug, emailKey(email)));
    const confirmed = await item(email);
    expect(await recordSignature(slug, signer(email, 'Another Name'))).toBe('unchanged');
    expect(await item(email)).toEqual(confirmed);
  });

  it('answers missing for a signature that does not exist, and creates none', async () => {
    const key = keys.signature(slug, emailKey('nobody@example.org'));
    expect(await confirmSignature(key)).toBe('missing');
    expect(await item('nobody@example.org')).toBeUndefined();
  });

  it('keeps signatures of one person on different campaigns apart', async () => {
    const other = (await createCampaign(campaignInputSchema.parse({ kind: 'statement', title: 'Another campaign' }), { status: 'open' })).slug;
    expect(await recordSignature(other, signer('first@example.org'))).toBe('recorded');
    expect(await signaturesOf(other)).toHaveLength(1);
  });
});
