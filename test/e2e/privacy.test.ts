import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient, startDynamoDbLocal, type RunningDynamo } from '#infra/local/dynamodb-local.ts';
import { eventually, inbox, startLocalProcess, type InboxMail, type LocalProcess } from '#test/support/local-process.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-privacy-'));
const tableName = 'privacy-e2e';
let stack: LocalProcess;
// A DynamoDB Local of the test's own, so it can read the whole table the stack writes.
let dynamo: RunningDynamo;
const api = (pathname: string, init: RequestInit = {}) => fetch(`${stack.url}${pathname}`, init);
const post = (pathname: string, body: unknown) => api(pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const operator = (pathname: string, method = 'GET', body?: unknown) =>
  api(pathname, { method, headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });

async function scanTable(): Promise<Record<string, unknown>[]> {
  const client = DynamoDBDocumentClient.from(localClient(dynamo.endpoint));
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const mailsTo = async (address: string, subject: RegExp) => (await inbox(stack.inboxUrl)).filter((m) => m.destination.to.includes(address) && subject.test(m.subject));

/** The link of the first such mail after the `seen` earlier ones. */
async function nextLink(address: string, subject: RegExp, seen: number): Promise<string> {
  const mail: InboxMail = await eventually(async () => (await mailsTo(address, subject))[seen]);
  return /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1] ?? '';
}

async function confirmLink(token: string): Promise<string> {
  const confirmed = await api(`/confirm/${token}`, { method: 'POST' });
  expect(confirmed.status).toBe(200);
  return ((await confirmed.json()) as { kind: string }).kind;
}

const signatureCount = async (slug: string, expected: number) =>
  eventually(async () => {
    const counts = (await (await api(`/campaigns/${slug}/counts`)).json()) as { signatures: number; byCountry: Record<string, number> };
    return counts.signatures === expected ? counts : undefined;
  });

describe('a supporter can disappear from the system for good', () => {
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal(undefined);
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0', LOG_LEVEL: 'INFO', AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: tableName });
  });
  afterAll(async () => {
    await stack?.stop();
    await dynamo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('erases everything that leads to them, keeps the counts, and lets them sign again as a stranger', async () => {
    const { slug } = (await (await operator('/admin/campaigns', 'POST', { kind: 'petition', title: 'Free the detained students', countries: ['MA'], signers: 'both' })).json()) as { slug: string };
    await operator(`/admin/campaigns/${slug}/publish`, 'POST');
    const me = { name: 'Youssef Erasable', email: 'youssef.erasable@example.org', country: 'MA', postcode: '10000', comment: 'My brother is detained', public: true, subscribe: true };
    expect((await post(`/campaigns/${slug}/signatures`, me)).status).toBe(202);
    const firstLink = await nextLink(me.email, /signature/i, 0);
    expect(await confirmLink(firstLink)).toBe('signature');
    expect((await post(`/campaigns/${slug}/endorsements`, { organisation: 'Students Solidarity', country: 'MA', email: me.email, contactName: me.name })).status).toBe(202);
    expect(await confirmLink(await nextLink(me.email, /endorse/i, 0))).toBe('endorsement');
    await signatureCount(slug, 1);
    expect(JSON.stringify(await (await api(`/campaigns/${slug}/signatures`)).json())).toContain('Youssef Erasable');

    // The keys the table holds them under: the dedupe (and subscriber) key and the person index key.
    const before = await scanTable();
    const signature = before.find((item) => item.type === 'signature' && item.email === me.email)!;
    const dedupeKey = String(signature.pk).slice(`SIGNATURE#${slug}#`.length);
    const personKey = String(signature.gsi3pk).slice('PERSON#'.length);
    expect(dedupeKey.length).toBeGreaterThan(20);
    expect(personKey).not.toBe(dedupeKey);
    expect(before.some((item) => item.type === 'subscriber' && item.key === dedupeKey)).toBe(true);

    expect((await post('/privacy/erasure', { email: me.email })).status).toBe(202);
    expect((await post('/privacy/erasure', { email: 'never-seen@example.org' })).status).toBe(202);
    expect(await confirmLink(await nextLink(me.email, /eras|delet|effac/i, 0))).toBe('erasure');

    const publicAnswers = [
      await (await api(`/campaigns/${slug}/signatures`)).text(),
      await (await api(`/campaigns/${slug}`)).text(),
      await (await api(`/campaigns/${slug}/endorsements`)).text(),
      await (await api('/feed.atom')).text(),
    ];
    const csv = await (await operator(`/admin/campaigns/${slug}/signatures.csv`)).text();
    const queue = await (await operator('/admin/endorsements?status=pending')).text();
    for (const text of [...publicAnswers, csv, queue]) {
      expect(text).not.toContain('Youssef');
      expect(text).not.toContain('youssef.erasable');
      expect(text).not.toContain('My brother is detained');
    }
    expect(csv.trim().split('\n')).toHaveLength(1);
    // The organisation's endorsement still waits for an operator, without its contact.
    expect(queue).toContain('Students Solidarity');

    // Nowhere in the table: not the address, not its name, not any key that was derived from it.
    for (const item of await scanTable()) {
      const text = JSON.stringify(item);
      for (const trace of ['youssef.erasable', 'Youssef', 'My brother is detained', dedupeKey, personKey]) {
        expect(text, `${String(item.pk)} still holds ${trace}`).not.toContain(trace);
      }
    }

    // The counts stay, and a recount agrees with them.
    const counts = (await (await api(`/campaigns/${slug}/counts`)).json()) as { signatures: number; byCountry: Record<string, number> };
    expect(counts).toMatchObject({ signatures: 1, byCountry: { MA: 1 } });
    const recount = (await (await operator(`/admin/campaigns/${slug}/reconcile?apply=false`, 'POST')).json()) as { drift: number; recount: { signatures: number } };
    expect(recount).toMatchObject({ drift: 0, recount: { signatures: 1 } });

    // No more bulk mail: the subscription went with everything else.
    const { outreachId } = (await (await operator(`/admin/campaigns/${slug}/urgent-calls`, 'POST', { subject: 'After erasure', message: 'Hello' })).json()) as { outreachId: string };
    const status = await eventually(async () => {
      const s = (await (await operator(`/admin/outreach/${outreachId}`)).json()) as { status: string; recipients: number };
      return s.status === 'done' ? s : undefined;
    });
    expect(status.recipients).toBe(0);

    // The old link confirms nothing; signing again is a new signature, mailed, and counted once more.
    expect([404, 410]).toContain((await api(`/confirm/${firstLink}`, { method: 'POST' })).status);
    expect((await post(`/campaigns/${slug}/signatures`, { ...me, name: 'Signed Again', subscribe: false })).status).toBe(202);
    const againLink = await nextLink(me.email, /signature/i, 1);
    expect(againLink).not.toBe(firstLink);
    expect(await confirmLink(againLink)).toBe('signature');
    expect(await signatureCount(slug, 2)).toMatchObject({ byCountry: { MA: 2 } });
    expect(stack.output()).not.toContain('youssef.erasable');
  });
});
