import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '#test/support/chromium.ts';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

/**
 * The pages behind mailed links in a real browser (Debian's Chromium through playwright-core), followed as a
 * supporter follows them, in English and in Arabic: confirm, thanks, the offer to subscribe, preferences,
 * unsubscribe. Each is checked with axe-core and photographed into test-results/screenshots/.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-link-pages-'));
const profileDir = mkdtempSync(path.join(tmpdir(), 'tadamon-chromium-'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

let stack: LocalProcess;
let browser: BrowserContext;
let slug: string;

const operator = (pathname: string, method = 'GET', body?: unknown) =>
  fetch(`${stack.url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

async function confirmLink(address: string): Promise<string> {
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.some((to) => to.includes(address))));
  return /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1] ?? '';
}

/** axe-core's serious and critical findings on the page as it stands, then its picture. */
async function audit(page: Page, name: string): Promise<void> {
  // The pages forbid every script (CSP `default-src 'none'`): axe is let in through the DevTools protocol only.
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), name).toEqual([]);
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  const cdp = await browser.newCDPSession(page);
  await cdp.send('Page.setBypassCSP', { enabled: true });
  return page;
}

describe('the pages behind mailed links, in a browser', () => {
  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0', RATE_LIMIT_IP_BURST: '1000/10' });
    const created = await operator('/admin/campaigns', 'POST', {
      kind: 'petition',
      title: 'Free the journalists',
      summary: 'Three journalists are in prison for their reporting.',
      countries: ['MA'],
      topics: ['press-freedom'],
      goal: 1000,
      translations: { ar: { title: 'الحرية للصحفيين', summary: 'ثلاثة صحفيين في السجن بسبب عملهم.' } },
    });
    ({ slug } = (await created.json()) as { slug: string });
    expect((await operator(`/admin/campaigns/${slug}/publish`, 'POST')).status).toBe(200);
    browser = await launchChromium(profileDir);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  });

  for (const { locale, dir, words } of [
    { locale: 'en', dir: 'ltr', words: { confirm: 'Confirm my signature', thanks: 'Thank you for signing', subscribe: 'Subscribe this address', change: 'Change what you receive', save: 'Save my choices', saved: 'Saved', unsubscribe: 'Unsubscribe', unsubscribed: 'You are unsubscribed', urgent: 'Urgent calls, when someone needs support quickly' } },
    { locale: 'ar', dir: 'rtl', words: { confirm: 'تأكيد توقيعي', thanks: 'شكرًا على توقيعك', subscribe: 'اشترك بهذا العنوان', change: 'غيّر ما تتلقاه', save: 'حفظ اختياراتي', saved: 'تم الحفظ', unsubscribe: 'إلغاء اشتراكي', unsubscribed: 'تم إلغاء اشتراكك', urgent: 'النداءات العاجلة، حين يحتاج أحدٌ إلى الدعم بسرعة' } },
  ] as const) {
    it(`takes a supporter from the confirm link to their preferences and out again, in ${locale}, with no serious accessibility violation`, async () => {
      const email = `reader.${locale}@example.org`;
      const signed = await fetch(`${stack.url}/campaigns/${slug}/signatures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: locale === 'ar' ? 'سلمى بنعلي' : 'Salma Benali', email, country: 'MA', locale, comment: 'Solidarity' }),
      });
      expect(signed.status).toBe(202);
      const token = await confirmLink(email);
      const page = await newPage();

      await page.goto(`${stack.url}/confirm/${token}`);
      expect(await page.locator('html').getAttribute('dir')).toBe(dir);
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      await audit(page, `link-confirm-${locale}`);

      await page.getByRole('button', { name: words.confirm }).click();
      await page.getByRole('heading', { level: 1, name: words.thanks }).waitFor();
      await expect.poll(() => page.locator('ul.share a').count()).toBe(6);
      await audit(page, `link-thanks-${locale}`);

      await page.getByRole('button', { name: words.subscribe }).click();
      await page.getByRole('link', { name: words.change }).click();
      await page.getByRole('button', { name: words.save }).waitFor();
      expect(await page.getByRole('checkbox', { name: words.urgent }).isChecked()).toBe(true);
      await audit(page, `link-preferences-${locale}`);

      // Less mail, not none: the choice holds when the page is opened again.
      await page.getByRole('checkbox', { name: words.urgent }).uncheck();
      await page.getByRole('button', { name: words.save }).click();
      await page.getByRole('heading', { level: 1, name: words.saved }).waitFor();
      await page.getByRole('link', { name: words.change }).click();
      expect(await page.getByRole('checkbox', { name: words.urgent }).isChecked()).toBe(false);

      await page.goto(page.url().replace('/preferences/', '/unsubscribe/'));
      await audit(page, `link-unsubscribe-${locale}`);
      await page.getByRole('button', { name: words.unsubscribe }).click();
      await page.getByRole('heading', { level: 1, name: words.unsubscribed }).waitFor();
      await audit(page, `link-unsubscribed-${locale}`);
      await page.close();
    });
  }

  it('shows a broken link as a page in the browser\u2019s language, accessible too', async () => {
    const page = await newPage();
    await page.setExtraHTTPHeaders({ 'accept-language': 'ar' });
    const answer = await page.goto(`${stack.url}/confirm/not-a-real-token-0000000000`);
    expect(answer?.status()).toBe(404);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await audit(page, 'link-unknown-ar');
    await page.close();
  });
});
