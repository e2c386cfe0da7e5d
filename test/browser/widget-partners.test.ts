import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '#test/support/chromium.ts';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

/**
 * The widget's opt-in per partner organisation, in Chromium on another origin: one unticked box per partner in
 * the page's language, the ticked ones sent with the signature, and the consent recorded in the very words the
 * box showed (read back from the partner's export once confirmed). axe-core finds nothing serious in either
 * direction.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const results = path.join(root, 'test-results', 'screenshots');
const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-browser-partners-'));
const profileDir = mkdtempSync(path.join(tmpdir(), 'tadamon-chromium-partners-'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');
const slug = 'free-the-students';
const amdhArabic = 'أوافق على أن تراسلني الجمعية المغربية لحقوق الإنسان';

let stack: LocalProcess;
let site: http.Server;
let siteUrl: string;
let browser: BrowserContext;

function hostPage(api: string, locale: string): string {
  return `<!doctype html><html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><title>A coalition's site</title></head>
<body><main><h1>A coalition's site</h1><tadamon-action campaign="${slug}" api="${api}" locale="${locale}"></tadamon-action></main>
<script src="${api}/widget.js"></script></body></html>`;
}

async function openPage(locale: string): Promise<{ page: Page; widget: Locator; pageErrors: string[] }> {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${siteUrl}/${locale}`);
  const widget = page.locator('tadamon-action');
  await widget.getByRole('heading', { level: 2 }).waitFor();
  return { page, widget, pageErrors };
}

/** The partner boxes, as [checked, label]. */
async function boxes(widget: Locator): Promise<[boolean, string][]> {
  const group = widget.locator('fieldset.partners');
  const inputs = await group.getByRole('checkbox').all();
  return Promise.all(inputs.map(async (box) => [await box.isChecked(), (await widget.locator(`label[for="${await box.getAttribute('id')}"]`).textContent()) ?? ''] as [boolean, string]));
}

describe("the widget's opt-in per partner organisation, in Chromium", () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0' });
    const operator = { 'content-type': 'application/json', authorization: `Bearer ${stack.adminToken}` };
    const created = await fetch(`${stack.url}/admin/campaigns`, {
      method: 'POST',
      headers: operator,
      body: JSON.stringify({
        slug,
        kind: 'petition',
        title: 'Free the students',
        translations: { ar: { title: 'الحرية للطلبة' } },
        partners: [
          { id: 'amdh', name: 'AMDH', optIn: { ar: amdhArabic } },
          { id: 'students-union', name: 'Students Union' },
        ],
      }),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${stack.url}/admin/campaigns/${slug}/publish`, { method: 'POST', headers: operator })).status).toBe(200);
    site = http.createServer((req, res) => {
      const locale = new URL(req.url ?? '/', 'http://site').pathname.slice(1);
      if (!['en', 'ar'].includes(locale)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(stack.url, locale));
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    mkdirSync(results, { recursive: true });
    browser = await launchChromium(profileDir);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('offers one unticked box per partner, in English and in Arabic, in the words the API gives', async () => {
    const { page, widget, pageErrors } = await openPage('en');
    expect(await boxes(widget)).toEqual([
      [false, 'Keep me informed by AMDH'],
      [false, 'Keep me informed by Students Union'],
    ]);
    expect(await widget.getByRole('group', { name: 'The organisations behind this campaign' }).count()).toBe(1);
    await page.close();

    const arabic = await openPage('ar');
    expect(await boxes(arabic.widget)).toEqual([
      [false, amdhArabic],
      [false, 'أوافق على أن تبقيني Students Union على اطلاع'],
    ]);
    expect(await arabic.widget.locator('.root').getAttribute('dir')).toBe('rtl');
    await arabic.page.screenshot({ path: path.join(results, 'widget-ar-partners.png'), fullPage: true });
    expect([...pageErrors, ...arabic.pageErrors]).toEqual([]);
    await arabic.page.close();
  });

  it('sends the ticked partners with the signature, and the consent records the text the box showed', async () => {
    const { page, widget, pageErrors } = await openPage('ar');
    await widget.getByLabel('الاسم الكامل').fill('سلمى بنعلي');
    await widget.getByLabel('البريد الإلكتروني').fill('salma.widget@example.org');
    await widget.getByLabel('البلد').selectOption('MA');
    await widget.getByRole('checkbox', { name: amdhArabic }).check();
    const sent = page.waitForRequest((request) => request.url().endsWith(`/campaigns/${slug}/signatures`) && request.method() === 'POST');
    await widget.getByRole('button', { name: 'وقِّع' }).click();
    expect((await sent).postDataJSON()).toMatchObject({ partners: ['amdh'], locale: 'ar' });
    await widget.locator('.pending').waitFor();

    const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.includes('salma.widget@example.org')));
    const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')![1]!;
    expect((await fetch(`${stack.url}/confirm/${token}`, { method: 'POST' })).status).toBe(200);
    const operator = { authorization: `Bearer ${stack.adminToken}` };
    const rows = await eventually(async () => {
      const csv = await (await fetch(`${stack.url}/admin/campaigns/${slug}/signatures.csv?partner=amdh`, { headers: operator })).text();
      const parsed = parse(csv, { columns: true }) as Record<string, string>[];
      return parsed.length ? parsed : undefined;
    });
    expect(rows.map((r) => [r.email, r.consent_text, r.consent_locale])).toEqual([['salma.widget@example.org', amdhArabic, 'ar']]);
    // Nobody opted in to the union.
    const union = await (await fetch(`${stack.url}/admin/campaigns/${slug}/signatures.csv?partner=students-union`, { headers: operator })).text();
    expect(parse(union, { columns: true })).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('has no serious or critical accessibility violation with its partner boxes, in English and in Arabic', async () => {
    for (const locale of ['en', 'ar']) {
      const { page, widget } = await openPage(locale);
      await widget.locator('fieldset.partners').waitFor();
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
      });
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), locale).toEqual([]);
      await page.close();
    }
  });
});
