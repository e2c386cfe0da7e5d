import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaptchaStandIn, startCaptchaStandIn } from '#test/support/captcha-stand-in.ts';
import { launchChromium } from '#test/support/chromium.ts';
import { requestsSeen } from '#test/support/page-requests.ts';
import { startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

/**
 * The widget where the API requires a CAPTCHA, in Chromium: the runtime verifies tokens against a local
 * stand-in of the provider's verify endpoint, and the page gets a fake of the provider's script (an
 * "I am human" button) in place of the real one. Nothing leaves this machine: every other request to
 * anywhere but the local servers is refused, and the test checks that none was made.
 */

const slug = 'free-nasser-zefzafi';
const secret = 'browser-test-captcha-secret';
const siteKey = '0x4AAAAAAAtadamonTestKey';
const root = path.resolve(import.meta.dirname, '..', '..');
const results = path.join(root, 'test-results');
const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-browser-captcha-'));
const profileDir = mkdtempSync(path.join(tmpdir(), 'tadamon-chromium-captcha-'));

let stack: LocalProcess;
let captcha: CaptchaStandIn;
let site: http.Server;
let siteUrl: string;
let browser: BrowserContext;
const offMachine: string[] = [];

/** Like the providers' tokens, each token passes once. */
const spent = new Set<string>();
function accepts(token: string): boolean {
  if (!/^human-[a-z0-9]+$/.test(token) || spent.has(token)) return false;
  spent.add(token);
  return true;
}

interface Render {
  id: string;
  sitekey: string;
  language: string;
  inDocument: boolean;
  slot: string;
  host: string;
}

/**
 * What the page gets instead of the provider's api.js: `window[global]` with the explicit-render API, whose
 * challenge is a button that calls back with a fresh token. It logs what the widget asked of it, and
 * `window.expireChallenge(id)` does what the provider does when a token expires.
 */
const fakeProviderScript = (global: 'turnstile' | 'hcaptcha') => `(() => {
  const log = (window.captchaLog = { renders: [], resets: [], removes: [] });
  const widgets = {};
  const draw = (id) => {
    const { container, options } = widgets[id];
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'I am human';
    button.onclick = () => {
      button.replaceWith('Verified');
      options.callback('human-' + Math.random().toString(36).slice(2));
    };
    container.replaceChildren(button);
  };
  window.${global} = {
    render(container, options) {
      const id = 'challenge-' + (log.renders.length + 1);
      widgets[id] = { container, options };
      log.renders.push({
        id,
        sitekey: options.sitekey,
        language: options.language ?? options.hl,
        inDocument: container.getRootNode() === document,
        slot: container.slot,
        host: container.parentElement.localName,
      });
      draw(id);
      return id;
    },
    reset(id) {
      log.resets.push(id);
      draw(id);
    },
    remove(id) {
      log.removes.push(id);
      widgets[id].container.replaceChildren();
      delete widgets[id];
    },
  };
  window.expireChallenge = (id) => widgets[id].options['expired-callback']();
  window[new URL(document.currentScript.src).searchParams.get('onload')]();
})();`;

interface Opened {
  page: Page;
  /** The provider script's URLs, as the page asked for them. */
  scripts: string[];
  posts: string[];
  pageErrors: string[];
  violations: string[];
}

async function openPage(url: string, provider: { pattern: string; global: 'turnstile' | 'hcaptcha' } | { pattern: string; fails: true }): Promise<Opened> {
  const page = await browser.newPage();
  const opened: Opened = { page, scripts: [], posts: [], pageErrors: [], violations: [] };
  await page.route(provider.pattern, (route) => {
    opened.scripts.push(route.request().url());
    if ('fails' in provider) return route.abort('connectionrefused');
    return route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: fakeProviderScript(provider.global) });
  });
  page.on('request', (request) => {
    if (request.method() === 'POST') opened.posts.push(request.url());
  });
  page.on('pageerror', (error) => opened.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) opened.violations.push(message.text());
  });
  await page.goto(url);
  return opened;
}

const captchaLog = (page: Page) =>
  page.evaluate(() => (window as unknown as { captchaLog: { renders: Render[]; resets: string[]; removes: string[] } }).captchaLog);

const labels = {
  en: { name: 'Full name', email: 'Email', country: 'Country', sign: 'Sign' },
  fr: { name: 'Nom complet', email: 'Adresse e-mail', country: 'Pays', sign: 'Signer' },
  ar: { name: 'الاسم الكامل', email: 'البريد الإلكتروني', country: 'البلد', sign: 'وقِّع' },
};

/** Fills the form correctly, so that only the challenge stands between it and the API. */
async function fillForm(widget: Locator, lang: keyof typeof labels, name: string, email: string): Promise<void> {
  await widget.getByRole('heading', { level: 2 }).waitFor();
  await widget.getByLabel(labels[lang].name).fill(name);
  await widget.getByLabel(labels[lang].email).fill(email);
  await widget.getByLabel(labels[lang].country).selectOption('MA');
}

describe('the widget signs where the API requires a CAPTCHA, in Chromium', () => {
  beforeAll(async () => {
    captcha = await startCaptchaStandIn({ secret, accepts });
    stack = await startLocalProcess({
      DATA_DIR: dataDir,
      DEMO_DATA: '1',
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_SECRET: secret,
      CAPTCHA_SITE_KEY: siteKey,
      CAPTCHA_VERIFY_URL: captcha.url,
    });
    site = http.createServer((req, res) => {
      if (req.url !== '/two-widgets') return void res.writeHead(404).end();
      const widget = (locale: string) =>
        `<tadamon-action campaign="${slug}" api="${stack.url}" locale="${locale}" captcha="hcaptcha" captcha-site-key="10000000-ffff-ffff-ffff-000000000001"></tadamon-action>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Two campaigns</title></head>
<body>${widget('ar')}${widget('fr')}<script src="${stack.url}/widget.js"></script></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    mkdirSync(results, { recursive: true });
    browser = await launchChromium(profileDir);
    // Refuse, and remember, anything not for this machine; the tests' own routes answer the provider's script first.
    await browser.route(
      (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
      (route) => {
        offMachine.push(route.request().url());
        return route.abort('blockedbyclient');
      },
    );
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    await stack?.stop();
    await captcha?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('puts the provider and the site key on the demo page, and lets the provider in through its CSP', async () => {
    const response = await fetch(`${stack.url}/demo/${slug}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`captcha="turnstile" captcha-site-key="${siteKey}"></tadamon-action>`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' https://challenges.cloudflare.com;");
    expect(csp).toContain('frame-src https://challenges.cloudflare.com');
    expect(csp).toMatch(/connect-src http:\/\/localhost:\d+;/);
  });

  it('sends nothing until the challenge is solved, signs with its token, and resets it after expiry and after every attempt', async () => {
    // The demo page is on 127.0.0.1 and its widget talks to PUBLIC_URL, localhost: another origin.
    const { page, scripts, posts, pageErrors, violations } = await openPage(`${stack.url}/demo/${slug}`, {
      pattern: 'https://challenges.cloudflare.com/**',
      global: 'turnstile',
    });
    const widget = page.locator('tadamon-action');
    const human = page.getByRole('button', { name: 'I am human' });
    await human.waitFor();

    // One script, explicit rendering, and the challenge in the light DOM, slotted into the widget's form.
    expect(scripts).toHaveLength(1);
    const scriptUrl = new URL(scripts[0]!);
    expect(`${scriptUrl.origin}${scriptUrl.pathname}`).toBe('https://challenges.cloudflare.com/turnstile/v0/api.js');
    expect(scriptUrl.searchParams.get('render')).toBe('explicit');
    expect((await captchaLog(page)).renders).toEqual([{ id: 'challenge-1', sitekey: siteKey, language: 'en', inDocument: true, slot: 'captcha', host: 'tadamon-action' }]);
    expect(
      await page.evaluate(() => {
        const host = document.querySelector('tadamon-action')!;
        const slot = host.shadowRoot!.querySelector<HTMLSlotElement>('form slot[name=captcha]')!;
        return slot.assignedElements()[0] === host.querySelector('[slot=captcha]');
      }),
    ).toBe(true);

    await fillForm(widget, 'en', 'Karim Captcha', 'karim.captcha@example.org');
    const sign = widget.getByRole('button', { name: 'Sign' });
    const message = widget.locator('#tadamon-captcha-error');
    await sign.click();
    expect(await message.textContent()).toBe('Please complete the anti-robot check first.');
    expect(await message.getAttribute('role')).toBe('alert');
    await page.screenshot({ path: path.join(results, 'widget-captcha-unsolved.png'), fullPage: true });

    // Solved, then expired: the challenge starts again and the stale token is not sent.
    await human.click();
    await expect.poll(() => message.textContent()).toBe('');
    await page.evaluate(() => (window as unknown as { expireChallenge: (id: string) => void }).expireChallenge('challenge-1'));
    expect((await captchaLog(page)).resets).toEqual(['challenge-1']);
    await sign.click();
    expect(await message.textContent()).toBe('Please complete the anti-robot check first.');
    await requestsSeen(page);
    expect(posts).toEqual([]);
    expect(captcha.calls).toEqual([]);

    // Solved again: the token goes with the signature, the server verifies it, and the challenge is reset.
    await human.click();
    const answered = page.waitForResponse((response) => response.url().endsWith(`/campaigns/${slug}/signatures`) && response.request().method() === 'POST');
    await sign.click();
    const accepted = await answered;
    expect(accepted.status()).toBe(202);
    const sent = accepted.request().postDataJSON() as Record<string, unknown>;
    expect(sent).toEqual({
      name: 'Karim Captcha',
      email: 'karim.captcha@example.org',
      country: 'MA',
      public: false,
      subscribe: false,
      locale: 'en',
      captchaToken: expect.stringMatching(/^human-[a-z0-9]+$/),
    });
    const pending = widget.locator('.pending');
    await pending.waitFor();
    expect(await pending.textContent()).toContain('Check your inbox');
    expect(captcha.calls.map((call) => [call.get('secret'), call.get('response')])).toEqual([[secret, sent.captchaToken]]);
    expect(spent.has(sent.captchaToken as string)).toBe(true);
    await expect.poll(async () => (await captchaLog(page)).resets).toEqual(['challenge-1', 'challenge-1']);

    expect(posts).toHaveLength(1);
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(offMachine).toEqual([]);
    await page.close();
  });

  it("loads hCaptcha once for two widgets on another site, and asks in each widget's language", async () => {
    const { page, scripts, posts, pageErrors } = await openPage(`${siteUrl}/two-widgets`, { pattern: 'https://js.hcaptcha.com/**', global: 'hcaptcha' });
    await expect.poll(async () => (await page.getByRole('button', { name: 'I am human' }).count())).toBe(2);
    expect(scripts).toHaveLength(1);
    const scriptUrl = new URL(scripts[0]!);
    expect(`${scriptUrl.origin}${scriptUrl.pathname}`).toBe('https://js.hcaptcha.com/1/api.js');
    expect(scriptUrl.searchParams.get('render')).toBe('explicit');
    const { renders } = await captchaLog(page);
    expect(renders.map((render) => render.language).sort()).toEqual(['ar', 'fr']);
    expect(renders.every((render) => render.sitekey === '10000000-ffff-ffff-ffff-000000000001' && render.inDocument)).toBe(true);

    const arabic = page.locator('tadamon-action').nth(0);
    const french = page.locator('tadamon-action').nth(1);
    await fillForm(arabic, 'ar', 'Salma', 'salma.captcha@example.org');
    await arabic.getByRole('button', { name: labels.ar.sign }).click();
    expect(await arabic.locator('#tadamon-captcha-error').textContent()).toBe('يرجى إكمال التحقق من أنك لست روبوتًا أولًا.');
    await fillForm(french, 'fr', 'Chloé', 'chloe.captcha@example.org');
    await french.getByRole('button', { name: labels.fr.sign }).click();
    expect(await french.locator('#tadamon-captcha-error').textContent()).toBe('Veuillez d’abord effectuer la vérification anti-robot.');
    await page.screenshot({ path: path.join(results, 'widget-captcha-ar-fr.png'), fullPage: true });

    await requestsSeen(page);
    expect(posts).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(offMachine).toEqual([]);
    await page.close();
  });

  it("moves the challenge to a statement's organisations form when it is opened, and endorses with its token", async () => {
    const statement = 'casablanca-declaration-genocide-in-palestine';
    const { page, posts, pageErrors } = await openPage(`${stack.url}/demo/${statement}`, { pattern: 'https://challenges.cloudflare.com/**', global: 'turnstile' });
    const widget = page.locator('tadamon-action');
    const human = page.getByRole('button', { name: 'I am human' });
    await human.waitFor();
    /** The part of the form the challenge's slot sits in. */
    const slotForm = () => page.evaluate(() => document.querySelector('tadamon-action')!.shadowRoot!.querySelector('slot[name=captcha]')!.closest('form')!.part.value);
    expect(await slotForm()).toBe('form');
    await widget.getByText('Endorse on behalf of an organisation').click();
    // The challenge moves when the folded form's toggle event arrives, a moment after the click.
    await expect.poll(slotForm).toBe('endorsement-form');

    await widget.getByLabel('Organisation', { exact: true }).fill('Comité Captcha');
    await widget.getByLabel('Country of the organisation').selectOption('TN');
    await widget.getByLabel('Contact email').fill('contact@comite-captcha.example.org');
    await widget.getByRole('checkbox', { name: /on behalf of this organisation/ }).check();
    const endorse = widget.getByRole('button', { name: 'Endorse' });
    await endorse.click();
    expect(await widget.locator('#tadamon-captcha-error').textContent()).toBe('Please complete the anti-robot check first.');
    await requestsSeen(page);
    expect(posts).toEqual([]);

    await human.click();
    const answered = page.waitForResponse((response) => response.url().endsWith(`/campaigns/${statement}/endorsements`) && response.request().method() === 'POST');
    await endorse.click();
    const accepted = await answered;
    expect(accepted.status()).toBe(202);
    const sent = accepted.request().postDataJSON() as Record<string, unknown>;
    expect(sent).toEqual({
      organisation: 'Comité Captcha',
      country: 'TN',
      email: 'contact@comite-captcha.example.org',
      locale: 'en',
      captchaToken: expect.stringMatching(/^human-[a-z0-9]+$/),
    });
    expect(spent.has(sent.captchaToken as string)).toBe(true);
    await widget.getByText('Check the contact inbox').waitFor();
    expect(posts).toHaveLength(1);
    expect(pageErrors).toEqual([]);
    expect(offMachine).toEqual([]);
    await page.close();
  });

  it('says so inline when the challenge cannot load, and sends nothing', async () => {
    const { page, scripts, posts, pageErrors } = await openPage(`${stack.url}/demo/${slug}`, { pattern: 'https://challenges.cloudflare.com/**', fails: true });
    const widget = page.locator('tadamon-action');
    const message = widget.locator('#tadamon-captcha-error');
    const unavailable = 'The anti-robot check could not be loaded, so signing is not possible right now. Please try again later.';
    await expect.poll(() => message.textContent()).toBe(unavailable);
    expect(scripts).toHaveLength(1);

    await fillForm(widget, 'en', 'Nadia', 'nadia.captcha@example.org');
    await widget.getByRole('button', { name: 'Sign' }).click();
    expect(await message.textContent()).toBe(unavailable);
    await requestsSeen(page);
    expect(posts).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(offMachine).toEqual([]);
    await page.close();
  });
});
