import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-e2e-stats-'));
let stack: LocalProcess;
let slug: string;

const api = (pathname: string, init: RequestInit = {}) => fetch(`${stack.url}${pathname}`, init);
const asOperator = (pathname: string, method = 'GET', body?: unknown) =>
  api(pathname, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const json = async <T = Record<string, unknown>>(response: Response | Promise<Response>) => (await (await response).json()) as T;

interface Stats {
  interval: string;
  series: { at: string; signatures: number }[];
  byCountry: Record<string, number>;
  bySource?: Record<string, Record<string, number>>;
}

const bom = [0xef, 0xbb, 0xbf];
const startsWithBom = (bytes: Uint8Array) => bom.every((b, i) => bytes[i] === b);

async function confirmLinkOf(address: string): Promise<string> {
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.some((to) => to.toLowerCase() === address)));
  return /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')![1]!;
}

describe('numbers organisers steer by: stats, sources, partners and exports', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0' });
    const created = await json<{ slug: string }>(asOperator('/admin/campaigns', 'POST', { kind: 'petition', title: 'Free the journalists of the Rif', countries: ['MA'] }));
    slug = created.slug;
    expect((await asOperator(`/admin/campaigns/${slug}/publish`, 'POST')).status).toBe(200);

    // Salma arrives from a blog post with a newsletter's tracking fields; Youssef types the address himself.
    const signed = await api(`/campaigns/${slug}/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', referer: 'https://Blog.Example.org/2036/03/rif?utm_source=x&email=salma@example.org' },
      body: JSON.stringify({ name: 'سلمى بنعلي', email: 'salma@example.org', country: 'MA', locale: 'ar', source: { utm_source: 'newsletter', utm_medium: 'email', ref: '=partner' } }),
    });
    expect(signed.status).toBe(202);
    const plain = await api(`/campaigns/${slug}/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Youssef', email: 'youssef@example.org', country: 'TN', public: true, subscribe: true }),
    });
    expect(plain.status).toBe(202);
    for (const address of ['salma@example.org', 'youssef@example.org']) {
      expect((await api(`/confirm/${await confirmLinkOf(address)}`, { method: 'POST' })).status).toBe(200);
    }
    await eventually(async () => ((await json<{ signatures: number }>(api(`/campaigns/${slug}/counts`))).signatures === 2 ? true : undefined));
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a source that is not short single-line text, and records nothing', async () => {
    const refused = await api(`/campaigns/${slug}/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Mallory', email: 'mallory@example.org', country: 'MA', source: { utm_source: 'x'.repeat(101), email: 'mallory@example.org' } }),
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const { errors } = await json<{ errors: { path: string }[] }>(refused);
    expect(errors.map((e) => e.path).sort()).toEqual(['source', 'source.utm_source']);
  });

  it('shows signatures over time and per country publicly, cached like the counts, and never the sources', async () => {
    const response = await api(`/campaigns/${slug}/stats?interval=hour`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('max-age=5');
    const stats = await json<Stats>(response);
    expect(stats.interval).toBe('hour');
    expect(stats.series).toHaveLength(168);
    expect(stats.series.reduce((sum, p) => sum + p.signatures, 0)).toBe(2);
    expect(stats.byCountry).toEqual({ MA: 1, TN: 1 });
    expect(stats).not.toHaveProperty('bySource');
    expect(JSON.stringify(stats)).not.toMatch(/newsletter|blog\.example|salma|youssef/i);

    const days = await json<Stats>(api(`/campaigns/${slug}/stats`));
    expect(days.interval).toBe('day');
    expect(days.series.at(-1)).toEqual({ at: `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`, signatures: 2 });

    const bad = await api(`/campaigns/${slug}/stats?interval=week`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await api('/campaigns/no-such-campaign/stats')).status).toBe(404);
  });

  it('shows operators where signers came from: counts per value, the referrer as a host only', async () => {
    expect((await api(`/admin/campaigns/${slug}/stats`)).status).toBe(401);
    const stats = await json<Stats>(asOperator(`/admin/campaigns/${slug}/stats?interval=day`));
    expect(stats.bySource).toEqual({
      utm_source: { newsletter: 1 },
      utm_medium: { email: 1 },
      utm_campaign: {},
      ref: { '=partner': 1 },
      referrer: { 'blog.example.org': 1 },
      account: {},
    });
    expect(stats.byCountry).toEqual({ MA: 1, TN: 1 });
  });

  it("sets partners' absolute counts, sums them into the offset and their countries into the counts, and audits each", async () => {
    const first = await asOperator(`/admin/campaigns/${slug}/offsets/amnesty-fr`, 'PUT', { count: 100, byCountry: { FR: 80, MA: 10 }, reason: 'Paper forms, Paris' });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ signatures: 2, offset: 100, total: 102, byCountry: { MA: 11, TN: 1, FR: 80 } });
    // A repeat replaces the partner's count; the campaign's own offset is the partner "default".
    await asOperator(`/admin/campaigns/${slug}/offsets/amnesty-fr`, 'PUT', { count: 120, byCountry: { FR: 100 }, reason: 'Paper forms, Paris and Lyon' });
    const own = await json(asOperator(`/admin/campaigns/${slug}/offset`, 'PUT', { offset: 5, reason: 'Stand in Rabat' }));
    expect(own).toMatchObject({ offset: 125, total: 127, byCountry: { MA: 1, TN: 1, FR: 100 } });
    expect(await json(api(`/campaigns/${slug}/counts`))).toMatchObject({ offset: 125, byCountry: { FR: 100 } });

    const partners = await json<{ items: Record<string, unknown>[] }>(asOperator(`/admin/campaigns/${slug}/offsets`));
    expect(partners.items).toEqual([
      { partner: 'amnesty-fr', count: 120, byCountry: { FR: 100 }, at: expect.any(String) as unknown, by: expect.any(String) as unknown },
      { partner: 'default', count: 5, byCountry: {}, at: expect.any(String) as unknown, by: expect.any(String) as unknown },
    ]);

    const history = await json<{ items: Record<string, unknown>[] }>(asOperator(`/admin/campaigns/${slug}/offset-history`));
    expect(history.items.map(({ partner, previous, offset, by }) => ({ partner, previous, offset, by: typeof by }))).toEqual([
      { partner: 'default', previous: 0, offset: 5, by: 'string' },
      { partner: 'amnesty-fr', previous: 100, offset: 120, by: 'string' },
      { partner: 'amnesty-fr', previous: 0, offset: 100, by: 'string' },
    ]);

    for (const [partner, body] of [
      ['Amnesty FR', { count: 1, reason: 'x' }],
      ['amnesty-fr', { count: 10, byCountry: { FR: 11 }, reason: 'more countries than count' }],
      ['amnesty-fr', { count: -1, reason: 'x' }],
      ['amnesty-fr', { count: 1, byCountry: { XX: 1 }, reason: 'x' }],
      ['amnesty-fr', { count: 1, reason: 'x', extra: true }],
    ] as const) {
      const refused = await asOperator(`/admin/campaigns/${slug}/offsets/${encodeURIComponent(partner)}`, 'PUT', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    expect((await asOperator('/admin/campaigns/no-such-campaign/offsets/amnesty-fr', 'PUT', { count: 1, reason: 'x' })).status).toBe(404);
    expect(await json(api(`/campaigns/${slug}/counts`))).toMatchObject({ offset: 125 });
  });

  it('exports signatures for spreadsheets: a byte-order mark on request, Arabic intact, request and confirmation times, source', async () => {
    const response = await asOperator(`/admin/campaigns/${slug}/signatures.csv?bom=1`);
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(startsWithBom(bytes)).toBe(true);
    const [header, ...rows] = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3)).trim().split('\n');
    expect(header).toBe('name,email,country,postcode,comment,signed_at,confirmed_at,locale,source,public,subscribed');
    const salma = rows.find((r) => r.startsWith('سلمى بنعلي,'))!.split(',');
    expect(salma.slice(0, 3)).toEqual(['سلمى بنعلي', 'salma@example.org', 'MA']);
    const [signedAt, confirmedAt, locale, source, isPublic, subscribed] = salma.slice(5);
    expect(Date.parse(signedAt!)).toBeLessThanOrEqual(Date.parse(confirmedAt!));
    expect([locale, source, isPublic, subscribed]).toEqual(['ar', 'utm_source=newsletter&utm_medium=email&ref=%3Dpartner&referrer=blog.example.org', 'false', 'false']);
    expect(rows.find((r) => r.startsWith('Youssef,'))!.split(',').slice(7)).toEqual(['', '', 'true', 'true']);

    const plain = new Uint8Array(await (await asOperator(`/admin/campaigns/${slug}/signatures.csv`)).arrayBuffer());
    expect(startsWithBom(plain)).toBe(false);
    expect((await asOperator(`/admin/campaigns/${slug}/signatures.csv?bom=yes`)).status).toBe(400);
  });

  it('exports the per-country totals, signatures and partners, largest first', async () => {
    const response = await asOperator(`/admin/campaigns/${slug}/countries.csv?bom=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${slug}-countries.csv"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(startsWithBom(bytes)).toBe(true);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3)).trim().split('\n')).toEqual([
      'country,country_name,signatures,partners,total',
      'FR,France,0,100,100',
      'MA,Morocco,1,0,1',
      'TN,Tunisia,1,0,1',
    ]);
  });
});
