import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-privacy-'));
let stack: LocalProcess;
const api = (pathname: string, init: RequestInit = {}) => fetch(`${stack.url}${pathname}`, init);
const post = (pathname: string, body: unknown) => api(pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const operator = (pathname: string, method = 'GET', body?: unknown) =>
  api(pathname, { method, headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });

async function confirmLatest(address: string, subject: RegExp): Promise<string> {
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).filter((m) => m.destination.to.includes(address) && subject.test(m.subject)).at(-1));
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1] ?? '';
  const confirmed = await api(`/confirm/${token}`, { method: 'POST' });
  expect(confirmed.status).toBe(200);
  return ((await confirmed.json()) as { kind: string }).kind;
}

describe('a supporter can disappear from the system for good', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0', LOG_LEVEL: 'INFO' });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('erases names, emails, comments and postcodes everywhere, and the counts stay', async () => {
    const { slug } = (await (await operator('/admin/campaigns', 'POST', { kind: 'petition', title: 'Free the detained students', countries: ['MA'] })).json()) as { slug: string };
    await operator(`/admin/campaigns/${slug}/publish`, 'POST');
    const me = { name: 'Youssef Erasable', email: 'youssef.erasable@example.org', country: 'MA', postcode: '10000', comment: 'My brother is detained', public: true, subscribe: true };
    expect((await post(`/campaigns/${slug}/signatures`, me)).status).toBe(202);
    expect(await confirmLatest(me.email, /confirm/i)).toBe('signature');
    expect((await post(`/campaigns/${slug}/endorsements`, { organisation: 'Students Solidarity', country: 'MA', email: me.email })).status).toBe(202);
    expect(await confirmLatest(me.email, /endorse/i)).toBe('endorsement');
    await eventually(async () => {
      const counts = (await (await api(`/campaigns/${slug}/counts`)).json()) as { signatures: number };
      return counts.signatures === 1 ? true : undefined;
    });
    expect(JSON.stringify(await (await api(`/campaigns/${slug}/signatures`)).json())).toContain('Youssef Erasable');

    expect((await post('/privacy/erasure', { email: me.email })).status).toBe(202);
    expect((await post('/privacy/erasure', { email: 'never-seen@example.org' })).status).toBe(202);
    expect(await confirmLatest(me.email, /eras|delet|effac/i)).toBe('erasure');

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
    const counts = (await (await api(`/campaigns/${slug}/counts`)).json()) as { signatures: number; byCountry: Record<string, number> };
    expect(counts).toMatchObject({ signatures: 1, byCountry: { MA: 1 } });

    // No more bulk mail: the subscription went with everything else.
    const { outreachId } = (await (await operator(`/admin/campaigns/${slug}/urgent-calls`, 'POST', { subject: 'After erasure', message: 'Hello' })).json()) as { outreachId: string };
    const status = await eventually(async () => {
      const s = (await (await operator(`/admin/outreach/${outreachId}`)).json()) as { status: string; recipients: number };
      return s.status === 'done' ? s : undefined;
    });
    expect(status.recipients).toBe(0);
    expect(stack.output()).not.toContain('youssef.erasable');
  });
});
