import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';
import { stackRequests } from '#test/support/stack-requests.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-link-pages-'));
let stack: LocalProcess;
let slug: string;

const { api, post, operator } = stackRequests(() => stack);
const browserPost = (pathname: string, fields: Record<string, string>) =>
  api(pathname, { method: 'POST', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

async function confirmLink(address: string): Promise<string> {
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.some((to) => to.includes(address))));
  return /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1] ?? '';
}

describe('the pages behind mailed links speak the language of the request that made them', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0', RATE_LIMIT_IP_BURST: '1000/10' });
    const created = await operator('/admin/campaigns', 'POST', {
      kind: 'petition',
      title: 'Free the journalists',
      countries: ['MA'],
      goal: 1000,
      translations: { ar: { title: 'الحرية للصحفيين' } },
    });
    ({ slug } = (await created.json()) as { slug: string });
    expect((await operator(`/admin/campaigns/${slug}/publish`, 'POST')).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in Arabic: the confirm page, the thanks page, the offer to subscribe and the preferences it leads to', async () => {
    const email = 'salma.ar@example.org';
    expect((await post(`/campaigns/${slug}/signatures`, { name: 'سلمى', email, country: 'MA', locale: 'ar' })).status).toBe(202);
    const token = await confirmLink(email);

    // Opened from an English browser, the page still speaks the signature's Arabic, and names the campaign.
    const confirmPage = await api(`/confirm/${token}`, { headers: { 'accept-language': 'en-GB' } });
    expect(confirmPage.status).toBe(200);
    expect(confirmPage.headers.get('cache-control')).toBe('no-store');
    const shown = await confirmPage.text();
    expect(shown).toMatch(/<html lang="ar" dir="rtl">/);
    expect(shown).toContain('«الحرية للصحفيين»');
    expect(shown).toContain('<dt>البلد</dt><dd dir="auto">المغرب (MA)</dd>');
    const request = /name="request" value="([A-Za-z0-9_-]+)"/.exec(shown)?.[1] ?? '';

    const thanks = await browserPost(`/confirm/${token}`, { request });
    expect(thanks.status).toBe(200);
    const page = await thanks.text();
    expect(page).toMatch(/<html lang="ar" dir="rtl">/);
    expect(page).toContain('<h1>شكرًا على توقيعك</h1>');
    expect(page).toMatch(/<dt>التوقيعات حتى الآن<\/dt><dd>[0-9٠-٩,]+<\/dd>/);
    const campaignPage = /<a class="button" href="([^"]+)">/.exec(page)?.[1] ?? '';
    expect(campaignPage).toMatch(new RegExp(`^http://[^/]+/act/${slug}\\?locale=ar$`));
    expect(page).toContain(`https://wa.me/?text=${encodeURIComponent(`الحرية للصحفيين ${campaignPage.replace('?locale=ar', '')}`)}`);
    expect(page).toContain('name="also" value="subscribe"');

    // The offer: the link is the proof of the mailbox; the subscription is confirmed at once, in Arabic.
    const subscribed = await browserPost(`/confirm/${token}`, { also: 'subscribe' });
    expect(subscribed.status).toBe(200);
    const subscribedPage = await subscribed.text();
    expect(subscribedPage).toContain('<h1>تم اشتراكك</h1>');
    const preferences = /href="(\/preferences\/[A-Za-z0-9_-]+)"/.exec(subscribedPage)?.[1] ?? '';
    expect(preferences).not.toBe('');

    // Every bulk mail carries the page too, beside its unsubscribe link.
    expect((await operator('/admin/digests', 'POST', {})).status).toBe(202);
    const digest = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.includes(email) && /\/preferences\//.test(m.body.text ?? '')));
    const mailed = /https?:\/\/[^\s]+(\/preferences\/[A-Za-z0-9_-]+)/.exec(digest.body.text ?? '')?.[1] ?? '';
    expect(digest.body.html).toContain(`${mailed}"`);
    const fromMail = await api(mailed);
    expect(fromMail.status).toBe(200);
    expect(await fromMail.text()).toMatch(/<html lang="ar" dir="rtl">/);

    // Opening preferences changes nothing: twice the same form, in Arabic, with everything on.
    const first = await (await api(preferences)).text();
    const second = await (await api(preferences)).text();
    expect(second).toBe(first);
    expect(first).toMatch(/<html lang="ar" dir="rtl">/);
    expect(first).toContain('id="urgent" name="urgent" value="on" checked');
    expect(first).toContain('id="digest" name="digest" value="on" checked');

    // A change persists, and the pages then speak the language chosen.
    const saved = await browserPost(preferences, { digest: 'on', country: 'MA', locale: 'fr' });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('<h1>Enregistré</h1>');
    const after = await (await api(preferences)).text();
    expect(after).toMatch(/<html lang="fr" dir="ltr">/);
    expect(after).not.toContain('id="urgent" name="urgent" value="on" checked');
    expect(after).toContain('value="MA" checked>');
    const unsubscribePage = await (await api(preferences.replace('/preferences/', '/unsubscribe/'))).text();
    expect(unsubscribePage).toContain('<h1>Se désabonner</h1>');
    expect(unsubscribePage).toContain(`href="${preferences}"`);
  });

  it("shows an erasure, which keeps no locale, in the browser's language: what will go, then that it went", async () => {
    const email = 'leaving.fr@example.org';
    expect((await post(`/campaigns/${slug}/signatures`, { name: 'Léa', email, country: 'FR', locale: 'fr' })).status).toBe(202);
    await confirmLink(email);
    expect((await post('/privacy/erasure', { email })).status).toBe(202);
    const mail = await eventually(async () => (await inbox(stack.inboxUrl)).filter((m) => m.destination.to.some((to) => to.includes(email)))[1]);
    const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1] ?? '';
    const page = await (await api(`/confirm/${token}`, { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } })).text();
    expect(page).toMatch(/<html lang="fr" dir="ltr">/);
    expect(page).toContain('<h1>Effacer vos données</h1>');
    expect(page).toContain('vos nom, adresse, code postal et commentaire sur chaque signature');
    const request = /name="request" value="([A-Za-z0-9_-]+)"/.exec(page)?.[1] ?? '';
    const erased = await api(`/confirm/${token}`, {
      method: 'POST',
      headers: { accept: 'text/html', 'accept-language': 'fr', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request }).toString(),
    });
    expect(erased.status).toBe(200);
    expect(await erased.text()).toContain('<h1>Vos données sont effacées</h1>');
  });

  it("answers a bad link with a page in the browser's language and a 4xx", async () => {
    for (const pathname of ['/confirm/not-a-real-token-0000000000', '/preferences/not-a-real-token', '/unsubscribe/not-a-real-token']) {
      const answer = await api(pathname, { headers: { 'accept-language': 'ar,en;q=0.5' } });
      expect(answer.status).toBe(404);
      const body = await answer.text();
      expect(body).toMatch(/<html lang="ar" dir="rtl">/);
      expect(body).toContain('لا يمكن استخدام هذا الرابط');
    }
    const posted = await browserPost('/preferences/not-a-real-token', { urgent: 'on' });
    expect(posted.status).toBe(404);
    const json = await post('/preferences/not-a-real-token', { urgent: true });
    expect(json.status).toBe(404);
    expect(json.headers.get('content-type')).toBe('application/problem+json');
  });
});
