import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '#test/support/cli-runner.ts';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';
import { pdfText, plain } from '#test/support/pdf-text.ts';

const work = mkdtempSync(path.join(tmpdir(), 'tadamon-deliver-'));
let stack: LocalProcess;
let slug: string;

function tadamon(args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: work, work, connection: { url: stack.url, token: stack.adminToken } });
}

const operator = () => ({ authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' });

async function signAndConfirm(person: { name: string; email: string; country: string; public: boolean }): Promise<void> {
  const signed = await fetch(`${stack.url}/campaigns/${slug}/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(person) });
  expect(signed.status).toBe(202);
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.includes(person.email)));
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1];
  expect((await fetch(`${stack.url}/confirm/${token}`, { method: 'POST' })).status).toBe(200);
}

describe('the delivery document and the stats from the CLI', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: path.join(work, 'data'), DEMO_DATA: '0' });
    const created = await fetch(`${stack.url}/admin/campaigns`, {
      method: 'POST',
      headers: operator(),
      body: JSON.stringify({ kind: 'petition', title: 'الحرية لمعتقلي الريف', locale: 'ar', target: 'وزير العدل', letter: 'نطالب بمحاكمة عادلة.', countries: ['MA'] }),
    });
    slug = ((await created.json()) as { slug: string }).slug;
    expect((await fetch(`${stack.url}/admin/campaigns/${slug}/publish`, { method: 'POST', headers: operator() })).status).toBe(200);
    await signAndConfirm({ name: 'سلمى بنعلي', email: 'salma@example.org', country: 'MA', public: true });
    await signAndConfirm({ name: 'Private Person', email: 'private@example.org', country: 'FR', public: false });
    await eventually(async () => {
      const counts = (await (await fetch(`${stack.url}/campaigns/${slug}/counts`)).json()) as { signatures: number };
      const stats = (await (await fetch(`${stack.url}/campaigns/${slug}/stats?interval=hour`)).json()) as { series: { signatures: number }[] };
      const overTime = stats.series.reduce((sum, point) => sum + point.signatures, 0);
      return counts.signatures === 2 && overTime === 2 ? true : undefined;
    });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('is for operators only over HTTP', async () => {
    const anonymous = await fetch(`${stack.url}/admin/campaigns/${slug}/delivery.pdf`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const wrong = await fetch(`${stack.url}/admin/campaigns/${slug}/delivery.pdf`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
  });

  it('writes the PDF with the public names only, readable by its owner alone', async () => {
    const run = await tadamon(['deliver', slug, '-o', 'letter.pdf']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Wrote letter.pdf: 1 name (public).');
    const file = path.join(work, 'letter.pdf');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = plain(pdfText(readFileSync(file)));
    expect(text).toContain('الحرية لمعتقلي الريف');
    expect(text).toContain('سلمى بنعلي');
    expect(text).not.toContain('Private Person');
  });

  it('refuses all names for a campaign whose signers were not told, and lists them once it says so', async () => {
    const refused = await tadamon(['deliver', slug, '--names', 'all', '-o', 'all.pdf']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('409');
    const patched = await fetch(`${stack.url}/admin/campaigns/${slug}`, { method: 'PATCH', headers: operator(), body: JSON.stringify({ deliverAllNames: true }) });
    expect(patched.status).toBe(200);
    const run = await tadamon(['deliver', slug, '--names', 'all', '-o', 'all.pdf', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ slug, files: ['all.pdf'], names: 2 });
    expect(plain(pdfText(readFileSync(path.join(work, 'all.pdf'))))).toContain('Private Person');
  });

  it('shows the same pictures on the campaign page, with their text alternative', async () => {
    const page = await (await fetch(`${stack.url}/act/${slug}`)).text();
    expect(page.match(/<svg [^>]*role="img"/g)).toHaveLength(2);
    expect(page).toContain('<h2 id="stats-heading">التوقيعات عبر الزمن</h2>');
    expect(page).toMatch(/<figcaption>2 توقيعًا/u);
    expect(page).toContain('<details><summary>جميع الأرقام يومًا بيوم</summary>');
  });

  it('draws the stats in the terminal and writes them as SVG and PNG', async () => {
    const run = await tadamon(['campaign', 'stats', slug, '--interval', 'hour', '--locale', 'en']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 signatures in this period');
    expect(run.stdout).toMatch(/MA Morocco\s+█+ 1/);
    expect(run.stdout).toMatch(/FR France\s+█+ 1/);

    expect((await tadamon(['campaign', 'stats', slug, '--svg', 'stats.svg'])).code).toBe(0);
    const svg = readFileSync(path.join(work, 'stats.svg'), 'utf8');
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title id="signatures-chart-title">الحرية لمعتقلي الريف</title>');
    expect(svg).toContain('المغرب');

    expect((await tadamon(['campaign', 'stats', slug, '--png', 'stats.png'])).code).toBe(0);
    const png = readFileSync(path.join(work, 'stats.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1280); // twice the SVG's width, for sharp text
  });
});
