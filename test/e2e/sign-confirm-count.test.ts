import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-e2e-'));
let stack: LocalProcess;

const api = (pathname: string, init: RequestInit = {}) => fetch(`${stack.url}${pathname}`, init);
const asOperator = (pathname: string, method: string, body?: unknown) =>
  api(pathname, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const sign = (slug: string, body: unknown) =>
  api(`/campaigns/${slug}/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const counts = async (slug: string) => (await (await api(`/campaigns/${slug}/counts`)).json()) as { signatures: number; offset: number; total: number; byCountry: Record<string, number> };

function javaProcessesFor(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', 'DynamoDBLocal'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(dir));
  } catch (error) {
    // pgrep exits 1 when nothing matches; anything else (no pgrep, a bad pattern) must not pass for "none left".
    if ((error as { status?: number }).status === 1) return [];
    throw error;
  }
}

async function confirmationLinks(address: string, expected: number): Promise<string[]> {
  const mails = await eventually(async () => {
    const found = (await inbox(stack.inboxUrl)).filter((m) => m.destination.to.some((to) => to.toLowerCase() === address));
    return found.length >= expected ? found : undefined;
  });
  return mails.map((m) => /\/confirm\/([A-Za-z0-9_-]+)/.exec(m.body.text ?? '')![1]!);
}

describe('a supporter signs, confirms from the inbox, and is counted', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '1' });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is healthy and serves the demo campaigns', async () => {
    const health = await api('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const petition = (await (await api('/campaigns/free-nasser-zefzafi')).json()) as { kind: string; target: string; counts: { offset: number; total: number } };
    expect(petition.kind).toBe('petition');
    expect(petition.target).toBe('Head of State, Morocco');
    expect(petition.counts.offset).toBe(785);
  });

  it('counts one person once, whatever case they type their address in', async () => {
    const created = await asOperator('/admin/campaigns', 'POST', { kind: 'petition', title: 'Free the Rif detainees', countries: ['MA'], goal: 100 });
    expect(created.status).toBe(201);
    const { slug, status } = (await created.json()) as { slug: string; status: string };
    expect(status).toBe('draft');
    expect((await sign(slug, { name: 'Salma', email: 'salma@example.org', country: 'MA' })).status).toBe(404);

    expect((await asOperator(`/admin/campaigns/${slug}/publish`, 'POST')).status).toBe(200);
    const first = await sign(slug, { name: 'Salma', email: 'Salma@Example.org', country: 'MA' });
    const repeat = await sign(slug, { name: 'Salma', email: ' salma@EXAMPLE.org', country: 'MA' });
    expect([first.status, repeat.status]).toEqual([202, 202]);
    expect(await repeat.json()).toEqual(await first.json());

    // A second signer, from Tunisia, whose confirmation marks how far the counting got.
    expect((await sign(slug, { name: 'Youssef', email: 'youssef@example.org', country: 'TN' })).status).toBe(202);
    const links = await confirmationLinks('salma@example.org', 2);
    expect(new Set(links).size).toBe(2);

    // Opening the link shows a button; it never confirms by itself (mail scanners open links).
    const page = await api(`/confirm/${links[0]}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    // Had the page confirmed Salma, she would be counted by the time Youssef, confirmed after it, is.
    const [marker] = await confirmationLinks('youssef@example.org', 1);
    expect((await api(`/confirm/${marker}`, { method: 'POST' })).status).toBe(200);
    const counted = await eventually(async () => {
      const now = await counts(slug);
      return now.byCountry.TN === 1 ? now : undefined;
    });
    expect(counted).toMatchObject({ signatures: 1, byCountry: { TN: 1 } });
    expect(counted.byCountry.MA).toBeUndefined();

    for (const link of links) {
      const confirmed = await api(`/confirm/${link}`, { method: 'POST' });
      expect(confirmed.status).toBe(200);
      expect(await confirmed.json()).toEqual({ status: 'confirmed', kind: 'signature' });
    }
    const started = Date.now();
    await eventually(async () => ((await counts(slug)).byCountry.MA === 1 ? true : undefined), 5000);
    expect(Date.now() - started).toBeLessThan(5000);

    const withOffset = await asOperator(`/admin/campaigns/${slug}/offset`, 'PUT', { offset: 40, reason: 'Paper forms from the Rabat vigil' });
    expect(withOffset.status).toBe(200);
    // Salma once, however many links she followed, and Youssef.
    const after = await counts(slug);
    expect(after).toMatchObject({ signatures: 2, offset: 40, total: 42 });
    expect(after.byCountry).toEqual({ MA: 1, TN: 1 });

    expect((await asOperator(`/admin/campaigns/${slug}/close`, 'POST')).status).toBe(200);
    const late = await sign(slug, { name: 'Late', email: 'late@example.org', country: 'MA' });
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers every bad request with problem details and changes nothing', async () => {
    const slug = 'free-nasser-zefzafi';
    const before = await counts(slug);
    const cases: [RequestInit & { path?: string }, number][] = [
      [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }, 415],
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' }, 400],
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', email: 'not-an-email', country: 'MA' }) }, 400],
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(17_000), email: 'a@b.org', country: 'MA' }) }, 413],
    ];
    for (const [init, status] of cases) {
      const response = await api(`/campaigns/${slug}/signatures`, init);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { status: number; title: string; detail: string };
      expect(problem.status).toBe(status);
      expect(problem.detail).not.toMatch(/at .*\.ts:\d+/);
    }
    expect((await api('/no/such/route')).status).toBe(404);
    expect((await api('/campaigns/no-such-campaign')).status).toBe(404);
    expect((await api('/confirm/not-a-real-token-0000000000', { method: 'POST' })).status).toBe(404);
    const anonymous = await api('/admin/campaigns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"petition","title":"x"}' });
    expect(anonymous.status).toBe(401);
    const wrongToken = await api('/admin/campaigns', { headers: { authorization: 'Bearer nope' } });
    expect(wrongToken.status).toBe(401);
    expect(await counts(slug)).toEqual(before);
  });

  it('stops cleanly on SIGTERM and keeps everything across a restart', async () => {
    // Data of this test's own, written and counted before the stop, whatever ran before it.
    const created = await asOperator('/admin/campaigns', 'POST', { kind: 'petition', title: 'Kept across a restart' });
    const { slug } = (await created.json()) as { slug: string };
    expect((await asOperator(`/admin/campaigns/${slug}/publish`, 'POST')).status).toBe(200);
    expect((await sign(slug, { name: 'Idris', email: 'idris@example.org', country: 'MA' })).status).toBe(202);
    const [link] = await confirmationLinks('idris@example.org', 1);
    expect((await api(`/confirm/${link}`, { method: 'POST' })).status).toBe(200);
    await eventually(async () => ((await counts(slug)).signatures === 1 ? true : undefined));

    const before = (await (await asOperator('/admin/campaigns?limit=100', 'GET')).json()) as { items: { slug: string }[] };
    expect(before.items.map((c) => c.slug)).toContain(slug);
    const countsBefore = await Promise.all([slug, 'free-nasser-zefzafi'].map(counts));
    expect(await stack.stop()).toBe(0);
    expect(javaProcessesFor(dataDir)).toEqual([]);

    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '1' });
    const after = (await (await asOperator('/admin/campaigns?limit=100', 'GET')).json()) as { items: { slug: string }[] };
    expect(after.items.map((c) => c.slug)).toEqual(before.items.map((c) => c.slug));
    expect(await Promise.all([slug, 'free-nasser-zefzafi'].map(counts))).toEqual(countsBefore);
    expect(stack.output()).not.toContain('Loaded');
  });
});
