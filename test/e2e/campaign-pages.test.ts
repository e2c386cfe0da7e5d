import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';
import { stackRequests } from '#test/support/stack-requests.ts';

/**
 * The pages people read, over HTTP against the local runtime: the campaign page and the front page in the
 * reader's language, the plain form that signs without JavaScript, and every "read / take part" link (the
 * feed, urgent calls, the digest) pointing at a page rather than at JSON.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-pages-'));
let stack: LocalProcess;

const petition = 'free-nasser-zefzafi';
// A demo statement with an Arabic translation and endorsing organisations (infra/local/demo-campaigns/).
const statement = 'release-all-moroccan-political-prisoners';

const { api, post, operator, mailsTo } = stackRequests(() => stack);
const page = async (pathname: string, headers: Record<string, string> = {}) => {
  const response = await api(pathname, { headers: { accept: 'text/html', ...headers } });
  return { response, html: await response.text() };
};
const firstMail = (address: string, subject?: RegExp) =>
  eventually(async () => {
    const [mail] = await mailsTo(address, subject);
    return mail;
  }, 90_000);

async function confirmFirstLink(address: string): Promise<void> {
  const mail = await firstMail(address);
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1];
  expect((await api(`/confirm/${token}`, { method: 'POST' })).status).toBe(200);
}

async function finished(outreachId: string): Promise<void> {
  await eventually(async () => {
    const status = (await (await operator(`/admin/outreach/${outreachId}`)).json()) as { status: string };
    return status.status === 'done' ? true : undefined;
    // Generous: mail leaves at the account's pace, on a machine that may be busy.
  }, 90_000);
}

describe('campaign pages and the front page, over HTTP', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '1', SES_RATE_PER_SECOND: '50' });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers a campaign's page as cacheable HTML, in the campaign's language by default", async () => {
    const { response, html } = await page(`/act/${petition}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=60/);
    expect(response.headers.get('vary')).toContain('Accept-Language');
    expect(response.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(html).toMatch(/^<!doctype html><html lang="en" dir="ltr">/);
    expect(html).toContain(`<link rel="canonical" href="http://localhost:${new URL(stack.url).port}/act/${petition}">`);
    expect(html).toContain('<meta property="og:title"');
    expect(html).toContain('<form method="post"');
  });

  it('follows ?locale=, else Accept-Language, with hreflang alternates', async () => {
    const arabic = await page(`/act/${statement}`, { 'accept-language': 'ar-MA,ar;q=0.9,en;q=0.5' });
    expect(arabic.html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(arabic.response.headers.get('content-language')).toBe('ar');
    expect(arabic.html).toContain('hreflang="x-default"');
    const chosen = await page(`/act/${statement}?locale=en`, { 'accept-language': 'ar' });
    expect(chosen.html).toMatch(/<html lang="en" dir="ltr">/);
    // Organisations endorse statements: the page counts and lists them.
    expect(chosen.html).toMatch(/\d+ organisations? ha(s|ve) endorsed it/);
    expect(chosen.html).toContain('<section aria-labelledby="organisations">');
  });

  it('is a 404 page, not JSON, for an unknown campaign and for a draft', async () => {
    const unknown = await page('/act/no-such-campaign', { 'accept-language': 'fr' });
    expect(unknown.response.status).toBe(404);
    expect(unknown.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(unknown.response.headers.get('cache-control')).toBe('no-store');
    expect(unknown.html).toContain('Page introuvable');
    expect((await operator('/admin/campaigns', 'POST', { slug: 'a-draft', kind: 'petition', title: 'Not yet' })).status).toBe(201);
    const draft = await page('/act/a-draft');
    expect(draft.response.status).toBe(404);
    expect(draft.html).not.toContain('Not yet');
    expect((await page('/act/x?locale=not_a_locale!')).response.status).toBe(400);
  });

  it('lists open campaigns with counters on the front page, in the visitor language', async () => {
    const { response, html } = await page('/', { 'accept-language': 'fr-FR' });
    expect(response.status).toBe(200);
    expect(html).toMatch(/<html lang="fr" dir="ltr">/);
    expect(html).toContain('Campagnes en cours');
    expect(html).toContain(`/act/${petition}?locale=fr"`);
    expect(html).not.toContain('Not yet');
  });

  it('pages through the open campaigns, then shows the closed ones', async () => {
    for (let i = 1; i <= 21; i++) {
      const created = await operator('/admin/campaigns', 'POST', { slug: `paging-${i}`, kind: 'appeal', title: `Appeal number ${i}` });
      expect(created.status).toBe(201);
      expect((await operator(`/admin/campaigns/paging-${i}/publish`, 'POST')).status).toBe(200);
    }
    const first = await page('/?locale=fr');
    expect(first.html.match(/<li(?: [^>]*)?><p class="kind">/g)).toHaveLength(20);
    expect(first.html).not.toContain('Campagnes closes');
    const next = /<a href="([^"]+)" rel="next">/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    // The next page keeps the language the reader chose.
    expect(next).toMatch(/\?locale=fr&open=/);
    const second = await page(new URL(next!).pathname + new URL(next!).search);
    expect(second.html).toContain('Appeal number 1<');
    expect(second.html).toContain('Campagnes closes');
    expect(second.html.indexOf('Campagnes en cours')).toBeLessThan(second.html.indexOf('Campagnes closes'));
    expect((await page('/?open=forged')).response.status).toBe(400);
  });

  it('signs from the plain form without JavaScript, and says to check the mailbox', async () => {
    const form = new URLSearchParams({ name: 'Amina', email: 'form-signer@example.org', country: 'MA', locale: 'fr', public: 'true' });
    const response = await api(`/act/${petition}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: form.toString(),
    });
    expect(response.status).toBe(202);
    expect(await response.text()).toContain('Consultez votre messagerie');
    const mail = await firstMail('form-signer@example.org');
    expect(mail.subject).toMatch(/confirmer votre signature/);

    const invalid = await api(`/act/${petition}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: 'name=&email=nope&country=MA',
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('Please check the form');
    const asJson = await api(`/act/${petition}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=&email=nope&country=MA' });
    expect(asJson.status).toBe(400);
    expect(asJson.headers.get('content-type')).toBe('application/problem+json');
    expect((await api(`/act/${petition}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(415);
  });

  it('links the feed, urgent calls and the digest to pages, or to the campaign own pageUrl', async () => {
    const feed = await (await api('/feed.atom?locale=ar')).text();
    expect(feed).toContain(`/act/${petition}?locale=ar"`);
    expect(feed).not.toMatch(/href="[^"]*\/campaigns\//);

    expect((await post('/subscriptions', { email: 'reader@example.org', locale: 'fr' })).status).toBe(202);
    await confirmFirstLink('reader@example.org');

    const call = await operator(`/admin/campaigns/${petition}/urgent-calls`, 'POST', { subject: 'Act now for Nasser', message: 'Write today.' });
    expect(call.status).toBe(202);
    await finished(((await call.json()) as { outreachId: string }).outreachId);
    const urgent = await firstMail('reader@example.org', /Act now/);
    // A call written in one language is read in it, and so is the page it links to.
    expect(urgent.body.text).toMatch(new RegExp(`Read the call and take action: http://localhost:\\d+/act/${petition}\\n`));
    expect(urgent.body.html).not.toMatch(/\/campaigns\//);

    const digest = await operator('/admin/digests', 'POST', { period: '2036-W10' });
    expect(digest.status).toBe(202);
    await finished(((await digest.json()) as { outreachId: string }).outreachId);
    const weekly = await firstMail('reader@example.org', /hebdomadaire/);
    expect(weekly.body.text).toContain(`/act/${statement}?locale=fr`);
    // A statement's progress is its organisations, not "0 signatures".
    expect(weekly.body.text).toMatch(/Signée par \d+\u00a0organisations?/);

    expect((await operator(`/admin/campaigns/${petition}`, 'PATCH', { pageUrl: 'http://insecure.example/act' })).status).toBe(400);
    expect((await operator(`/admin/campaigns/${petition}`, 'PATCH', { pageUrl: 'https://committee.example/nasser' })).status).toBe(200);
    expect(await (await api('/feed.atom')).text()).toContain('href="https://committee.example/nasser"');
  });
});
