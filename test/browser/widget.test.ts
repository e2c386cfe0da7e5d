import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '#test/support/chromium.ts';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';
import { requestsSeen } from '#test/support/page-requests.ts';
import { setVisibility } from '#test/support/page-visibility.ts';

/**
 * The widget in a real browser (Debian's Chromium through playwright-core), embedded in a page served from
 * a second origin, talking cross-origin to the local runtime: it loads, validates, maps the API's problem
 * details to its fields, signs, and shows the counter move once the signature is confirmed.
 */

const slug = 'free-nasser-zefzafi';
// A demo statement with an Arabic translation (infra/local/demo-campaigns/release-all-moroccan-political-prisoners.ar.md).
const arabicStatement = 'release-all-moroccan-political-prisoners';
const root = path.resolve(import.meta.dirname, '..', '..');
const results = path.join(root, 'test-results', 'screenshots');
const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-browser-'));
const profileDir = mkdtempSync(path.join(tmpdir(), 'tadamon-chromium-'));

let stack: LocalProcess;
let site: http.Server;
let siteUrl: string;
let browser: BrowserContext;

// A demo statement that 30 organisations endorse (infra/local/demo-campaigns/casablanca-declaration-genocide-in-palestine.md).
const statement = 'casablanca-declaration-genocide-in-palestine';
// Created by the test: a statement only organisations may endorse, with its own page elsewhere.
const organisationsOnly = 'a-declaration-for-organisations';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

/** A page of some other site that embeds the widget from the API's origin. */
function hostPage(api: string, locale?: string, campaign = slug, style = ''): string {
  const lang = locale ?? 'en';
  return `<!doctype html><html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><title>A solidarity site</title>
<style>body{margin:0;background:#f5f5f5;font-family:sans-serif}main{max-width:46rem;margin:1.5rem auto;padding:0 1rem}${style}</style></head>
<body><main><h1>A site that embeds the widget</h1>
<tadamon-action campaign="${campaign}" api="${api}"${locale ? ` locale="${locale}"` : ''}></tadamon-action>
</main><script src="${api}/widget.js"></script></body></html>`;
}

async function openPage(pathname: string): Promise<{ page: Page; widget: Locator; posts: string[]; pageErrors: string[] }> {
  const page = await browser.newPage();
  const posts: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${siteUrl}${pathname}`);
  const widget = page.locator('tadamon-action');
  await widget.getByRole('heading', { level: 2 }).waitFor();
  return { page, widget, posts, pageErrors };
}

/** The id (or class) of the element focused inside the widget's shadow root. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('tadamon-action')?.shadowRoot?.activeElement;
    return active ? active.id || active.className : null;
  });

const signatureResponse = (page: Page) =>
  page.waitForResponse((response) => response.url().endsWith(`/campaigns/${slug}/signatures`) && response.request().method() === 'POST');

describe('the embeddable widget, on another origin, in Chromium', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '1' });
    site = http.createServer((req, res) => {
      const pages: Record<string, () => string> = {
        '/': () => hostPage(stack.url),
        '/ar': () => hostPage(stack.url, 'ar'),
        '/ar/statement': () => hostPage(stack.url, 'ar', arabicStatement),
        '/statement': () => hostPage(stack.url, undefined, statement),
        '/missing': () => hostPage(stack.url, undefined, 'no-such-campaign'),
        '/fr/organisations': () => hostPage(stack.url, 'fr', organisationsOnly),
        '/themed': () =>
          hostPage(
            stack.url,
            undefined,
            slug,
            'main{font-family:Georgia,serif;font-size:18px}tadamon-action{--tadamon-accent:#123456;--tadamon-radius:0px;--tadamon-spacing:2rem}' +
              'tadamon-action::part(button){text-transform:uppercase}tadamon-action::part(title){letter-spacing:1px}',
          ),
      };
      const page = pages[new URL(req.url ?? '/', 'http://site').pathname];
      if (!page) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page());
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    // Another port is another origin: every call the widget makes is cross-origin.
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    mkdirSync(results, { recursive: true });
    const operator = { 'content-type': 'application/json', authorization: `Bearer ${stack.adminToken}` };
    const created = await fetch(`${stack.url}/admin/campaigns`, {
      method: 'POST',
      headers: operator,
      body: JSON.stringify({
        slug: organisationsOnly,
        kind: 'statement',
        title: 'A declaration for organisations',
        summary: 'Civil society organisations call for the release of every political prisoner.',
        signers: 'organisations',
        pageUrl: 'https://declaration.example.org/sign',
      }),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${stack.url}/admin/campaigns/${organisationsOnly}/publish`, { method: 'POST', headers: operator })).status).toBe(200);
    browser = await launchChromium(profileDir);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('serves the script, and answers preflights and public reads for other origins', async () => {
    const script = await fetch(`${stack.url}/widget.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect((await script.text()).length).toBeGreaterThan(1000);
    const again = await fetch(`${stack.url}/widget.js`, { headers: { 'if-none-match': script.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);

    const preflight = await fetch(`${stack.url}/campaigns/${slug}/signatures`, {
      method: 'OPTIONS',
      headers: { origin: siteUrl, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');

    const read = await fetch(`${stack.url}/campaigns/${slug}/counts`, { headers: { origin: siteUrl } });
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
    // Counts are cacheable a few seconds, with an ETag; the gateway passes If-None-Match on and answers the 304.
    expect(read.headers.get('cache-control')).toBe('public, max-age=5, stale-while-revalidate=10, stale-if-error=300');
    const etag = read.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const unchanged = await fetch(`${stack.url}/campaigns/${slug}/counts`, { headers: { origin: siteUrl, 'if-none-match': etag! } });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect(unchanged.headers.get('access-control-allow-origin')).toBe('*');
    expect((await fetch(`${stack.url}/campaigns/${slug}/counts`, { headers: { 'if-none-match': '"something-else"' } })).status).toBe(200);
    // Pages that hold a person's link, and every write, are never kept.
    expect((await fetch(`${stack.url}/confirm/no-such-token`)).headers.get('cache-control')).toBe('no-store');
    const write = await fetch(`${stack.url}/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(write.status).toBe(400);
    expect(write.headers.get('cache-control')).toBe('no-store');
    const problem = await fetch(`${stack.url}/campaigns/no-such-campaign`, { headers: { origin: siteUrl } });
    expect(problem.status).toBe(404);
    expect(problem.headers.get('access-control-allow-origin')).toBe('*');
    const operator = await fetch(`${stack.url}/admin/campaigns`, { headers: { origin: siteUrl, authorization: `Bearer ${stack.adminToken}` } });
    expect(operator.status).toBe(200);
    expect(operator.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('shows the campaign, validates, maps problem details to fields, signs, and counts the confirmed signature live', async () => {
    const { page, widget, posts, pageErrors } = await openPage('/');
    expect(await widget.getByRole('heading', { level: 2 }).textContent()).toBe('Urge Morocco to free Nasser Zefzafi!');
    expect(await widget.locator('.summary').textContent()).toContain('Nasser Zefzafi');
    expect(await widget.getByRole('heading', { name: 'Letter to Head of State, Morocco' }).count()).toBe(1);
    expect(await widget.locator('.letter-text').textContent()).toContain('Your Excellency');
    const counter = widget.locator('.count');
    expect(await counter.getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => counter.textContent()).toBe('Signatures: 785 of 1,000');
    expect(await widget.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('785');
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    // Empty: the widget's own checks, nothing sent, focus on the first field in error.
    const sign = widget.getByRole('button', { name: 'Sign' });
    await sign.click();
    expect(await widget.locator('#tadamon-name-error').textContent()).toBe('Please enter your name.');
    expect(await widget.locator('#tadamon-email-error').textContent()).toBe('Please enter a valid email address.');
    expect(await widget.locator('#tadamon-country-error').textContent()).toBe('Please choose your country from the list.');
    expect(await widget.getByLabel('Full name').getAttribute('aria-invalid')).toBe('true');
    expect(await widget.getByLabel('Full name').getAttribute('aria-describedby')).toBe('tadamon-name-error');
    expect(await widget.getByRole('alert').textContent()).toBe('Please correct the fields marked below.');
    expect(await focused(page)).toBe('tadamon-name');
    expect(posts).toEqual([]);

    // An address the browser accepts (no dot in the domain) and the API's schema does not: errors[].path = email.
    await widget.getByLabel('Full name').fill('Amina Widget');
    await widget.getByLabel('Email').fill('amina@example');
    await widget.getByLabel('Country').selectOption('MA');
    let answered = signatureResponse(page);
    await sign.click();
    const badEmail = await answered;
    expect(badEmail.status()).toBe(400);
    expect(((await badEmail.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['email']);
    await expect.poll(() => widget.locator('#tadamon-email-error').textContent()).toBe('Please enter a valid email address.');
    expect(await widget.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await widget.locator('#tadamon-name-error').textContent()).toBe('');
    expect(await widget.getByLabel('Full name').getAttribute('aria-invalid')).toBeNull();
    expect(await focused(page)).toBe('tadamon-email');

    // A country code of the right shape that no country has: errors[].path = country.
    await widget.getByLabel('Email').fill('amina.widget@example.org');
    await page.evaluate(() => {
      const select = document.querySelector('tadamon-action')!.shadowRoot!.querySelector('select')!;
      select.append(new Option('Nowhere', 'QQ'));
      select.value = 'QQ';
    });
    answered = signatureResponse(page);
    await sign.click();
    expect((await answered).status()).toBe(400);
    await expect.poll(() => widget.locator('#tadamon-country-error').textContent()).toBe('Please choose your country from the list.');
    expect(await widget.getByLabel('Country').getAttribute('aria-invalid')).toBe('true');
    expect(await widget.locator('#tadamon-email-error').textContent()).toBe('');
    expect(await focused(page)).toBe('tadamon-country');
    await page.screenshot({ path: path.join(results, 'widget-en.png'), fullPage: true });

    // Properly now.
    await widget.getByLabel('Country').selectOption('MA');
    await widget.getByLabel('Postcode').fill('32000');
    await widget.getByLabel('Show my name publicly').check();
    answered = signatureResponse(page);
    await sign.click();
    const accepted = await answered;
    expect(accepted.status()).toBe(202);
    const sent = accepted.request().postDataJSON() as Record<string, unknown>;
    expect(sent).toEqual({ name: 'Amina Widget', email: 'amina.widget@example.org', country: 'MA', postcode: '32000', public: true, subscribe: false, locale: 'en' });
    const pending = widget.locator('.pending');
    await pending.waitFor();
    expect(await pending.textContent()).toContain('Check your inbox');
    expect(await focused(page)).toBe('pending');
    expect(await widget.locator('form').isHidden()).toBe(true);

    const token = await eventually(async () => {
      const mail = (await inbox(stack.inboxUrl)).find((m) => m.destination.to.includes('amina.widget@example.org'));
      return mail ? /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1] : undefined;
    });
    // The signer leaves for the mailbox (the widget's tab hidden: it stops asking) and confirms there.
    await setVisibility(page, 'hidden');
    const confirmed = await fetch(`${stack.url}/confirm/${token}`, { method: 'POST' });
    expect(await confirmed.json()).toEqual({ status: 'confirmed', kind: 'signature' });
    await setVisibility(page, 'visible');

    // Back in the tab, the counter moves by itself (polling), without a reload.
    await expect.poll(() => counter.textContent(), { timeout: 30_000, interval: 500 }).toBe('Signatures: 786 of 1,000');
    expect(await widget.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('786');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.screenshot({ path: path.join(results, 'widget-en-signed.png'), fullPage: true });
    expect(posts).toHaveLength(3);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("shows a campaign's Arabic translation right to left", async () => {
    const { page, widget, pageErrors } = await openPage('/ar/statement');
    const heading = widget.getByRole('heading', { level: 2 });
    expect(await heading.textContent()).toBe('الإفراج عن جميع المعتقلين السياسيين المغاربة ووقف قمع الدولة فورًا');
    expect(await heading.getAttribute('lang')).toBe('ar');
    expect(await heading.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    const frame = (await widget.locator('.root').boundingBox())!;
    const title = (await heading.boundingBox())!;
    // A title that fills less than a line sits at the right edge.
    expect(frame.x + frame.width - (title.x + title.width)).toBeLessThan(40);
    await page.screenshot({ path: path.join(results, 'widget-ar-statement.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('speaks Arabic right to left, and a filled honeypot sends nothing', async () => {
    const { page, widget, posts, pageErrors } = await openPage('/ar');
    const box = widget.locator('.root');
    expect(await box.getAttribute('dir')).toBe('rtl');
    expect(await box.getAttribute('lang')).toBe('ar');
    expect(await box.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await widget.locator('label[for=tadamon-name]').textContent()).toBe('الاسم الكامل');
    expect(await widget.locator('label[for=tadamon-email]').textContent()).toBe('البريد الإلكتروني');
    expect(await widget.getByRole('option', { name: 'المغرب' }).getAttribute('value')).toBe('MA');
    await expect.poll(() => widget.locator('.count').textContent()).toMatch(/^عدد التوقيعات: .+ من أصل .+$/);
    // The campaign has no Arabic text: it is shown in English, marked as such and laid out left to right.
    expect(await widget.getByRole('heading', { level: 2 }).getAttribute('lang')).toBe('en');
    expect(await widget.getByRole('heading', { level: 2 }).getAttribute('dir')).toBe('ltr');

    // Right to left: the button and the labels hug the right edge.
    const frame = (await box.boundingBox())!;
    const button = (await widget.getByRole('button', { name: 'وقِّع' }).boundingBox())!;
    const label = (await widget.locator('label[for=tadamon-name]').boundingBox())!;
    expect(frame.x + frame.width - (button.x + button.width)).toBeLessThan(40);
    expect(frame.x + frame.width - (label.x + label.width)).toBeLessThan(40);
    expect(button.x - frame.x).toBeGreaterThan(frame.width / 2);
    await page.screenshot({ path: path.join(results, 'widget-ar.png'), fullPage: true });

    const honeypot = widget.locator('input[name=website]');
    expect(await honeypot.getAttribute('tabindex')).toBe('-1');
    expect(await honeypot.getAttribute('autocomplete')).toBe('off');
    await widget.getByLabel('الاسم الكامل').fill('Bot');
    await widget.getByLabel('البريد الإلكتروني').fill('bot@example.org');
    await widget.getByLabel('البلد').selectOption('MA');
    await honeypot.fill('https://spam.example', { force: true });
    await widget.getByRole('button', { name: 'وقِّع' }).click();
    await widget.locator('.pending').waitFor();
    expect(await widget.locator('.pending').textContent()).toContain('تحقّق من بريدك الوارد');
    await requestsSeen(page);
    expect(posts).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows a statement whole: its organisations counted and named, a link to them all, and a form for them', async () => {
    const { page, widget, posts, pageErrors } = await openPage('/statement');
    const counts = (await (await fetch(`${stack.url}/campaigns/${statement}/counts`)).json()) as { endorsements: number };
    expect(counts.endorsements).toBe(30);
    await expect.poll(() => widget.locator('.count').allTextContents()).toEqual([expect.stringMatching(/^Signatures: \d/), 'Endorsing organisations: 30']);
    // The five that joined last.
    const listed = (await (await fetch(`${stack.url}/campaigns/${statement}/endorsements?order=newest&limit=5`)).json()) as { items: { organisation: string }[] };
    const section = widget.getByRole('region', { name: 'Endorsed by' });
    await expect.poll(() => section.getByRole('listitem').count()).toBe(5);
    const names = await section.getByRole('listitem').allTextContents();
    expect(names.map((text, i) => text.startsWith(listed.items[i]!.organisation))).toEqual([true, true, true, true, true]);
    expect(await section.getByRole('link', { name: 'See all endorsing organisations' }).getAttribute('href')).toBe(`${stack.url}/act/${statement}?locale=en`);

    // A statement takes people and organisations: the organisations' form is folded under the people's.
    expect(await widget.getByRole('button', { name: 'Sign' }).count()).toBe(1);
    const endorse = widget.getByRole('button', { name: 'Endorse' });
    expect(await endorse.isVisible()).toBe(false);
    await widget.getByText('Endorse on behalf of an organisation').click();
    await endorse.click();
    expect(await widget.locator('#tadamon-org-organisation-error').textContent()).toBe('Please enter the name of the organisation.');
    expect(await widget.locator('#tadamon-org-orgCountry-error').textContent()).toBe('Please choose the country of the organisation from the list.');
    expect(await widget.locator('#tadamon-org-contactEmail-error').textContent()).toBe('Please enter a valid email address.');
    expect(await widget.locator('#tadamon-org-consent-error').textContent()).toBe('Please confirm that you may endorse on behalf of this organisation.');
    expect(await widget.locator('#tadamon-org-website-error').textContent()).toBe('');
    expect(await focused(page)).toBe('tadamon-org-organisation');
    expect(posts).toEqual([]);

    await widget.getByLabel('Organisation', { exact: true }).fill('Association Tadamon Widget');
    await widget.getByLabel('Country of the organisation').selectOption('MA');
    await widget.locator('#tadamon-org-website').fill('http://insecure.example.org');
    await widget.getByLabel('Contact email').fill('contact@example');
    await widget.getByRole('checkbox', { name: /on behalf of this organisation/ }).check();
    await endorse.click();
    expect(await widget.locator('#tadamon-org-website-error').textContent()).toBe('Please enter an address starting with https://.');
    expect(await widget.locator('#tadamon-org-website').getAttribute('aria-invalid')).toBe('true');
    expect(posts).toEqual([]);

    // An address the browser accepts and the API does not: the API's problem details point at the field.
    const endorsementResponse = () =>
      page.waitForResponse((response) => response.url().endsWith(`/campaigns/${statement}/endorsements`) && response.request().method() === 'POST');
    await widget.locator('#tadamon-org-website').fill('https://tadamon-widget.example.org');
    let answered = endorsementResponse();
    await endorse.click();
    expect((await answered).status()).toBe(400);
    await expect.poll(() => widget.locator('#tadamon-org-contactEmail-error').textContent()).toBe('Please enter a valid email address.');
    expect(await widget.locator('#tadamon-org-website-error').textContent()).toBe('');
    expect(await focused(page)).toBe('tadamon-org-contactEmail');

    await widget.getByLabel('Contact email').fill('contact@tadamon-widget.example.org');
    await widget.getByLabel('Contact name').fill('Salma Widget');
    answered = endorsementResponse();
    await endorse.click();
    const accepted = await answered;
    expect(accepted.status()).toBe(202);
    expect(accepted.request().postDataJSON()).toEqual({
      organisation: 'Association Tadamon Widget',
      country: 'MA',
      email: 'contact@tadamon-widget.example.org',
      website: 'https://tadamon-widget.example.org',
      contactName: 'Salma Widget',
      locale: 'en',
    });
    await widget.getByText('Check the contact inbox').waitFor();
    expect(await focused(page)).toBe('pending');
    // The contact is asked to confirm, as with any endorsement.
    const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.includes('contact@tadamon-widget.example.org')));
    expect(mail.body.text).toMatch(/\/confirm\/[A-Za-z0-9_-]+/);
    await page.screenshot({ path: path.join(results, 'widget-en-statement.png'), fullPage: true });
    expect(posts).toHaveLength(2);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('offers only the organisations form where a statement takes organisations only, in French', async () => {
    const { page, widget, pageErrors } = await openPage('/fr/organisations');
    await expect.poll(() => widget.locator('.count').allTextContents()).toEqual(['Organisations signataires\u202f: 0']);
    expect(await widget.getByRole('progressbar').count()).toBe(0);
    expect(await widget.getByRole('button', { name: 'Signer', exact: true }).count()).toBe(0);
    expect(await widget.locator('details').count()).toBe(0);
    expect(await widget.getByRole('heading', { name: 'Signer en tant qu’organisation' }).isVisible()).toBe(true);
    expect(await widget.getByLabel('Pays de l’organisation').getByRole('option', { name: 'Maroc' }).getAttribute('value')).toBe('MA');
    // None endorses it yet: nobody is named, and the link to them all goes to the campaign's own page.
    const section = widget.locator('section.endorsements');
    expect(await section.isHidden()).toBe(true);
    expect(await section.getByRole('link', { includeHidden: true }).getAttribute('href')).toBe('https://declaration.example.org/sign');
    await widget.getByRole('button', { name: 'Signer pour l’organisation' }).click();
    expect(await widget.locator('#tadamon-org-organisation-error').textContent()).toBe('Veuillez indiquer le nom de l’organisation.');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("sends the campaign tracking fields of the host page's address with a signature, and only those", async () => {
    const { page, widget } = await openPage('/?utm_source=newsletter&utm_medium=email&utm_term=ignored&ref=partner%0Asite&utm_campaign=');
    await widget.getByLabel('Full name').fill('Youssef Source');
    await widget.getByLabel('Email').fill('youssef.source@example.org');
    await widget.getByLabel('Country').selectOption('MA');
    const answered = signatureResponse(page);
    await widget.getByRole('button', { name: 'Sign' }).click();
    const accepted = await answered;
    expect(accepted.status()).toBe(202);
    expect((accepted.request().postDataJSON() as { source?: unknown }).source).toEqual({ utm_source: 'newsletter', utm_medium: 'email', ref: 'partner site' });
    await page.close();
  });

  it('honours prefers-reduced-motion: the progress bar does not animate', async () => {
    const { page, widget } = await openPage('/');
    const fill = widget.locator('.fill');
    expect(await fill.evaluate((el) => getComputedStyle(el).transitionDuration)).toBe('0.6s');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await fill.evaluate((el) => getComputedStyle(el).transitionDuration)).toBe('0s');
    await page.close();
  });

  it('takes the host page font, its custom properties and ::part() rules', async () => {
    const { page, widget } = await openPage('/themed');
    const title = widget.getByRole('heading', { level: 2 });
    expect(await title.evaluate((el) => getComputedStyle(el).fontFamily)).toBe('Georgia, serif');
    expect(await title.evaluate((el) => getComputedStyle(el).letterSpacing)).toBe('1px');
    expect(await widget.locator('.summary').evaluate((el) => getComputedStyle(el).fontSize)).toBe('18px');
    const button = widget.getByRole('button', { name: 'Sign' });
    expect(await button.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(18, 52, 86)');
    expect(await button.evaluate((el) => getComputedStyle(el).textTransform)).toBe('uppercase');
    const frame = widget.locator('.root');
    expect(await frame.evaluate((el) => getComputedStyle(el).borderTopLeftRadius)).toBe('0px');
    expect(await frame.evaluate((el) => getComputedStyle(el).paddingTop)).toBe('32px');
    await page.screenshot({ path: path.join(results, 'widget-en-themed.png'), fullPage: true });
    await page.close();
  });

  it('says in the console why it cannot load, and tells readers in a sentence', async () => {
    const page = await browser.newPage();
    const logged: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().startsWith('<tadamon-action>')) logged.push(message.text());
    });
    await page.goto(`${siteUrl}/missing`);
    const alert = page.locator('tadamon-action').getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('This campaign could not be found.');
    await expect.poll(() => logged).toHaveLength(1);
    expect(logged[0]).toContain('"no-such-campaign"');
    expect(logged[0]).toContain(`${stack.url}/campaigns/no-such-campaign?locale=en`);
    expect(logged[0]).toMatch(/answered 404 \(.*no campaign "no-such-campaign"/i);
    await page.close();
  });

  it('has no serious or critical accessibility violation on a host page, in English and in Arabic', async () => {
    for (const [pathname, name] of [
      ['/', 'widget-en-axe.png'],
      ['/statement', 'widget-en-statement-axe.png'],
      ['/ar/statement', 'widget-ar-statement-axe.png'],
    ] as const) {
      const { page, widget } = await openPage(pathname);
      await expect.poll(() => widget.locator('.count').first().textContent()).not.toBe('');
      if (pathname !== '/') await widget.locator('details summary').click();
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
      });
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), pathname).toEqual([]);
      await page.screenshot({ path: path.join(results, name), fullPage: true });
      await page.close();
    }
  });

  it('renders the widget on /demo/{slug}, under a CSP that lets it work', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const response = await page.goto(`${stack.url}/demo/${slug}`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/connect-src http:\/\/localhost:\d+/);
    const widget = page.locator('tadamon-action');
    await widget.getByRole('heading', { level: 2 }).waitFor();
    expect(await widget.getByRole('heading', { level: 2 }).textContent()).toBe('Urge Morocco to free Nasser Zefzafi!');
    await expect.poll(() => widget.locator('.count').textContent()).toMatch(/^Signatures: 78\d of 1,000$/);
    // The shadow styles apply (a constructed stylesheet needs no 'unsafe-inline').
    expect(await widget.getByRole('button', { name: 'Sign' }).evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 255, 255)');
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();

    // The page is on this deployment's origin: its widget talks to this deployment (PUBLIC_URL), whatever the URL says.
    const publicUrl = `http://localhost:${new URL(stack.url).port}`;
    const arabic = await fetch(`${stack.url}/demo/${slug}?locale=ar&api=${encodeURIComponent('https://evil.example/')}`);
    const body = await arabic.text();
    expect(body).toContain('<html lang="ar" dir="rtl">');
    expect(body).toContain(`api="${publicUrl}" locale="ar"`);
    expect(body).not.toContain('evil.example');
    expect(arabic.headers.get('content-security-policy')).toContain(`connect-src ${publicUrl};`);

    const hostile = await fetch(`${stack.url}/demo/${slug}?api=${encodeURIComponent('https://x.example/"><script>alert(1)</script>')}`);
    expect(hostile.status).toBe(200);
    expect(await hostile.text()).not.toMatch(/<script>alert\(1\)|x\.example/);
    expect((await fetch(`${stack.url}/demo/${slug}?api=${encodeURIComponent('javascript:alert(1)')}`)).status).toBe(200);
    expect((await fetch(`${stack.url}/demo/no-such-campaign`)).status).toBe(404);
  });
});
