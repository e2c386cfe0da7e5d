import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '#test/support/cli-runner.ts';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-e2e-partners-'));
const work = mkdtempSync(path.join(tmpdir(), 'tadamon-e2e-partners-cli-'));
let stack: LocalProcess;
let slug: string;
let salmaLink: string;

const api = (pathname: string, init: RequestInit = {}) => fetch(`${stack.url}${pathname}`, init);
const asOperator = (pathname: string, method = 'GET', body?: unknown) =>
  api(pathname, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const json = async <T = Record<string, unknown>>(response: Response | Promise<Response>) => (await (await response).json()) as T;
const sign = (body: Record<string, unknown>) =>
  api(`/campaigns/${slug}/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ country: 'MA', ...body }) });

async function confirmLinkOf(address: string): Promise<string> {
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.some((to) => to.toLowerCase() === address)));
  return /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')![1]!;
}

const rows = (csv: string) => parse(csv.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];

describe('a partner organisation gets the supporters who opted in to it', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0' });
    const created = await asOperator('/admin/campaigns', 'POST', {
      kind: 'statement',
      title: 'Free the students of Ouarzazate',
      locale: 'en',
      translations: { fr: { title: 'Libérez les étudiants de Ouarzazate' } },
      partners: [
        { id: 'amdh', name: 'AMDH', website: 'https://amdh.example.org', optIn: { fr: 'Je veux recevoir les nouvelles de l’AMDH' } },
        { id: 'students-union', name: 'Students Union' },
      ],
    });
    expect(created.status).toBe(201);
    slug = (await json<{ slug: string }>(created)).slug;
    expect((await asOperator(`/admin/campaigns/${slug}/publish`, 'POST')).status).toBe(200);

    // Salma opts in to AMDH on the French form, Youssef to the union, Nadia to nobody; each confirms from the mailbox.
    expect((await sign({ name: 'Salma Bennani', email: 'salma@example.org', locale: 'fr', partners: ['amdh'] })).status).toBe(202);
    expect((await sign({ name: 'Youssef Haddad', email: 'youssef@example.org', partners: ['students-union'] })).status).toBe(202);
    expect((await sign({ name: 'Nadia Idrissi', email: 'nadia@example.org' })).status).toBe(202);
    salmaLink = await confirmLinkOf('salma@example.org');
    for (const link of [salmaLink, await confirmLinkOf('youssef@example.org'), await confirmLinkOf('nadia@example.org')]) {
      expect((await api(`/confirm/${link}`, { method: 'POST' })).status).toBe(200);
    }
    // Counts (and the export's index) are eventually consistent: within seconds locally.
    await eventually(async () => ((await json<{ signatures: number }>(api(`/campaigns/${slug}/counts`))).signatures === 3 ? true : undefined));
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('shows the widget each partner with the text its box shows, per language', async () => {
    const campaign = await json<{ partners: { id: string; website?: string; optIn: Record<string, string> }[] }>(api(`/campaigns/${slug}?locale=fr`));
    expect(campaign.partners.map((p) => [p.id, p.website, p.optIn.fr, p.optIn.en])).toEqual([
      ['amdh', 'https://amdh.example.org', 'Je veux recevoir les nouvelles de l’AMDH', 'Keep me informed by AMDH'],
      ['students-union', undefined, 'Je souhaite être tenu·e informé·e par Students Union', 'Keep me informed by Students Union'],
    ]);
  });

  it('refuses a partner the campaign does not name with a 400 naming the field', async () => {
    const refused = await sign({ name: 'Mallory', email: 'mallory@example.org', partners: ['amdh', 'someone-else'] });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await json<{ errors: { path: string }[] }>(refused)).errors.map((e) => e.path)).toEqual(['partners']);
  });

  it("shows behind the confirmation link the consent it gave, in the box's words", async () => {
    const page = await (await api(`/confirm/${salmaLink}`)).text();
    expect(page).toContain('<dd dir="auto">Je veux recevoir les nouvelles de l’AMDH</dd>');
  });

  it('exports to each partner only the confirmed supporters who opted in to it, with the consent', async () => {
    const exported = await asOperator(`/admin/campaigns/${slug}/signatures.csv?partner=amdh`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="${slug}-amdh-signatures.csv"`);
    expect(rows(await exported.text())).toEqual([
      {
        name: 'Salma Bennani',
        email: 'salma@example.org',
        country: 'MA',
        locale: 'fr',
        signed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        confirmed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        consent_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        consent_text: 'Je veux recevoir les nouvelles de l’AMDH',
        consent_locale: 'fr',
      },
    ]);
    expect(rows(await (await asOperator(`/admin/campaigns/${slug}/signatures.csv?partner=students-union`)).text()).map((r) => r.email)).toEqual(['youssef@example.org']);

    const unknown = await asOperator(`/admin/campaigns/${slug}/signatures.csv?partner=nobody`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
  });

  it('gives the partner its file from the CLI with --partner', async () => {
    const file = path.join(work, 'amdh.csv');
    const run = await runCli(['export', slug, '--partner', 'amdh', '-o', file, '--json'], { cwd: work, work, connection: { url: stack.url, token: stack.adminToken } });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ slug, partner: 'amdh', rows: rows(readFileSync(file, 'utf8')).length });
    const written = readFileSync(file, 'utf8');
    expect(written.startsWith('\uFEFFname,email,country,locale,signed_at,confirmed_at,consent_at,consent_text,consent_locale')).toBe(true);
    expect(rows(written).map((r) => r.email)).toEqual(['salma@example.org']);

    const unknown = await runCli(['export', slug, '--partner', 'nobody', '-o', path.join(work, 'nobody.csv')], { cwd: work, work, connection: { url: stack.url, token: stack.adminToken } });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('has no partner "nobody"');
  });
});
