import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '#test/support/chromium.ts';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

/**
 * The campaign page and the front page in a real browser (Debian's Chromium through playwright-core), in
 * English and in Arabic: axe-core finds nothing serious, each is photographed into test-results/screenshots/,
 * the plain form signs with JavaScript off, and a page weighs at most 60 KB compressed without the widget.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-campaign-pages-'));
const profileDir = mkdtempSync(path.join(tmpdir(), 'tadamon-chromium-'));
const noScriptProfileDir = mkdtempSync(path.join(tmpdir(), 'tadamon-chromium-noscript-'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

const petition = 'free-nasser-zefzafi';
// A demo statement with an Arabic translation and endorsing organisations.
const statement = 'release-all-moroccan-political-prisoners';

let stack: LocalProcess;
/** PUBLIC_URL: the pages' own origin, which their CSP and form address name. */
let site: string;
let browser: BrowserContext;
let noScript: BrowserContext;

/** axe-core's serious and critical findings on the page as it stands, then its picture. */
async function audit(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), name).toEqual([]);
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

/** A page whose CSP lets axe in (through the DevTools protocol only: the page itself allows no inline script). */
async function open(pathname: string, locale: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setExtraHTTPHeaders({ 'accept-language': locale });
  const cdp = await browser.newCDPSession(page);
  await cdp.send('Page.setBypassCSP', { enabled: true });
  await page.goto(`${site}${pathname}`);
  return page;
}

describe('campaign pages and the front page, in a browser', () => {
  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '1', RATE_LIMIT_IP_BURST: '1000/10' });
    site = `http://localhost:${new URL(stack.url).port}`;
    browser = await launchChromium(profileDir);
    // A second browser with JavaScript off, as some readers browse (and as the page must work).
    noScript = await chromium.launchPersistentContext(noScriptProfileDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 900, height: 900 },
      javaScriptEnabled: false,
    });
  });

  afterAll(async () => {
    await noScript?.close();
    await browser?.close();
    await stack?.stop();
    for (const dir of [dataDir, profileDir, noScriptProfileDir]) rmSync(dir, { recursive: true, force: true });
  });

  it('shows each campaign page in English and Arabic, with the widget in place of the plain form, accessibly', async () => {
    for (const [slug, locale] of [
      [petition, 'en'],
      [statement, 'en'],
      [statement, 'ar'],
    ] as const) {
      const page = await open(`/act/${slug}`, locale);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      expect(await page.getAttribute('html', 'dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
      // The widget's own heading, in its shadow root: it has taken the plain form's place.
      await page.locator('tadamon-action').getByRole('heading', { level: 2 }).first().waitFor();
      expect(await page.locator('form.sign').isVisible()).toBe(false);
      await audit(page, `campaign-page-${slug === petition ? 'petition' : 'statement'}-${locale}`);
      await page.close();
    }
  });

  it('shows the plain form accessibly where the widget does not load', async () => {
    for (const locale of ['en', 'ar']) {
      const page = await browser.newPage();
      await page.setExtraHTTPHeaders({ 'accept-language': locale });
      await page.route('**/widget.js', (route) => route.abort());
      const cdp = await browser.newCDPSession(page);
      await cdp.send('Page.setBypassCSP', { enabled: true });
      await page.goto(`${site}/act/${petition}`);
      expect(await page.locator('form.sign').isVisible()).toBe(true);
      await audit(page, `campaign-page-plain-form-${locale}`);
      await page.close();
    }
  });

  it('shows the front page in English and Arabic, accessibly, each campaign linking to its page', async () => {
    for (const locale of ['en', 'ar']) {
      const page = await open('/', locale);
      expect(await page.getAttribute('html', 'dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
      const links = await page.locator('ul.campaigns h3 a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
      expect(links).toContain(`/act/${petition}`);
      await audit(page, `front-page-${locale}`);
      await page.close();
    }
  });

  it('signs with the plain form when JavaScript is off', async () => {
    const page = await noScript.newPage();
    await page.setExtraHTTPHeaders({ 'accept-language': 'ar' });
    await page.goto(`${site}/act/${statement}`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.getByLabel('اسمك').fill('سلمى');
    await page.getByLabel('بريدك الإلكتروني').fill('salma@example.org');
    await page.getByLabel('البلد').selectOption('MA');
    await page.getByRole('button', { name: 'وقّع' }).click();
    await page.getByRole('heading', { name: 'تفقّد بريدك' }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'campaign-page-form-sent-ar.png'), fullPage: true });
    const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.includes('salma@example.org')));
    expect(mail.body.text).toMatch(/\/confirm\//);
    await page.close();
  });

  it('weighs at most 60 KB compressed without the widget', async () => {
    for (const [slug, locale] of [
      [petition, 'en'],
      [statement, 'ar'],
    ] as const) {
      const body = await (await fetch(`${site}/act/${slug}`, { headers: { 'accept-language': locale } })).text();
      expect(gzipSync(body).length, `${slug} ${locale}`).toBeLessThanOrEqual(60 * 1024);
    }
  });
});
