import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-operator-surface-'));
let stack: LocalProcess;

const api = (pathname: string, init: RequestInit = {}) => fetch(`${stack.url}${pathname}`, init);
const post = (pathname: string, body: unknown) => api(pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const operator = (pathname: string, method = 'GET', body?: unknown) =>
  api(pathname, { method, headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });

async function confirmFromInbox(email: string): Promise<void> {
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.includes(email)));
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1];
  expect((await api(`/confirm/${token}`, { method: 'POST' })).status).toBe(200);
}

async function expectProblem(response: Response, status: number): Promise<{ detail?: string; errors?: { path: string }[] }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as { detail?: string; errors?: { path: string }[] };
}

describe('the operator routes for reopening, subscribers, erasure and dead letters, over HTTP', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0' });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses every one of them without the operator token, changing nothing', async () => {
    for (const [method, pathname] of [
      ['POST', '/admin/campaigns/anything/reopen'],
      ['GET', '/admin/subscribers/summary'],
      ['GET', '/admin/subscribers.csv'],
      ['POST', '/admin/privacy/erasure'],
      ['GET', '/admin/privacy/erasures'],
      ['GET', '/admin/dead-letters'],
      ['POST', '/admin/dead-letters/mail/replay'],
    ] as const) {
      const response = await api(pathname, { method, headers: { authorization: 'Bearer not-the-token', 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : null });
      await expectProblem(response, 401);
    }
  });

  it('describes them in the OpenAPI document', async () => {
    const document = (await (await api('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths['/admin/campaigns/{slug}/reopen'] ?? {})).toEqual(['post']);
    expect(Object.keys(document.paths['/admin/subscribers/summary'] ?? {})).toEqual(['get']);
    expect(Object.keys(document.paths['/admin/subscribers.csv'] ?? {})).toEqual(['get']);
    expect(Object.keys(document.paths['/admin/privacy/erasure'] ?? {})).toEqual(['post']);
    expect(Object.keys(document.paths['/admin/privacy/erasures'] ?? {})).toEqual(['get']);
    expect(Object.keys(document.paths['/admin/dead-letters'] ?? {})).toEqual(['get']);
    expect(Object.keys(document.paths['/admin/dead-letters/{queue}/replay'] ?? {})).toEqual(['post']);
  });

  it('erases a signer and subscriber at once: gone from the list, the export and the public signatures; the count stays', async () => {
    const { slug } = (await (await operator('/admin/campaigns', 'POST', { kind: 'petition', title: 'Erasure by phone' })).json()) as { slug: string };
    await operator(`/admin/campaigns/${slug}/publish`, 'POST');
    const email = 'phoned-in@example.org';
    expect((await post(`/campaigns/${slug}/signatures`, { name: 'Phoned In', email, country: 'MA', public: true, subscribe: true })).status).toBe(202);
    await confirmFromInbox(email);
    await eventually(async () => ((await (await api(`/campaigns/${slug}/counts`)).json()) as { signatures: number }).signatures === 1 || undefined);
    const before = (await (await operator('/admin/subscribers/summary')).json()) as { total: number };
    expect(before.total).toBe(1);

    const bad = await expectProblem(await operator('/admin/privacy/erasure', 'POST', { email }), 400);
    expect(bad.errors?.map((e) => e.path)).toEqual(['reason']);
    expect(((await (await operator('/admin/subscribers/summary')).json()) as { total: number }).total).toBe(1);

    const erased = await operator('/admin/privacy/erasure', 'POST', { email, reason: 'phone call of 2036-01-03, ticket 7' });
    expect(erased.status).toBe(200);
    expect(((await erased.json()) as { status: string }).status).toBe('erased');

    expect(((await (await operator('/admin/subscribers/summary')).json()) as { total: number }).total).toBe(0);
    const csv = await (await operator('/admin/subscribers.csv')).text();
    expect(csv).toBe('email,name,locale,urgent,digest,countries,topics\n');
    const publicList = (await (await api(`/campaigns/${slug}/signatures`)).json()) as { items: unknown[] };
    expect(publicList.items).toEqual([]);
    expect(((await (await api(`/campaigns/${slug}/counts`)).json()) as { signatures: number }).signatures).toBe(1);
    const trail = (await (await operator('/admin/privacy/erasures')).json()) as { items: { reason?: string; by?: string }[] };
    expect(trail.items).toEqual([expect.objectContaining({ by: 'admin-token', reason: 'phone call of 2036-01-03, ticket 7' })]);
    expect(JSON.stringify(trail)).not.toContain(email);
  });

  it('answers bad filters and unknown things with problems', async () => {
    const filter = await expectProblem(await operator('/admin/subscribers/summary?country=Morocco'), 400);
    expect(filter.errors?.map((e) => e.path)).toEqual(['country']);
    await expectProblem(await operator('/admin/subscribers.csv?rows=0'), 400);
    await expectProblem(await operator('/admin/campaigns/no-such-campaign/reopen', 'POST'), 404);
    await expectProblem(await operator('/admin/dead-letters/stream/replay', 'POST'), 404);
    const listed = (await (await operator('/admin/dead-letters')).json()) as { items: { queue: string }[] };
    expect(listed.items.map((q) => q.queue)).toEqual(['mail']);
  });
});
