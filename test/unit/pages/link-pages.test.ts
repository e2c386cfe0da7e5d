import { describe, expect, it } from 'vitest';
import { preferencesFromForm, preferencesSchema } from '#shared/domain/preferences.ts';
import { browserLocale, linkPage, linkProblemPage, noSubscription } from '#shared/http/pages.ts';
import { conflict, gone, notFound } from '#shared/http/problem.ts';
import { renderConfirmPage, renderErasedPage, renderSignedPage, type ShownRequest } from '#shared/pages/confirm-pages.ts';
import { renderPreferencesPage, renderUnsubscribePage } from '#shared/pages/subscriber-pages.ts';
import { renderParts } from '#shared/mail/templates/layout.ts';
import { httpEvent } from '#test/support/http-event.ts';

const signature: ShownRequest = {
  action: 'signature',
  confirmed: false,
  requestId: 'req_1',
  item: { campaign: 'free-them', name: 'Amina Benali', country: 'MA', public: true, comment: 'Solidarité', subscribe: false, locale: 'ar' },
};

function page(locale: string, content: { title: string; body: string }): string {
  return linkPage(locale, content.title, content.body).body as string;
}

describe('the confirm page, in the language of the request', () => {
  it('is right to left in Arabic, names the campaign, and labels every field in Arabic', () => {
    const html = page('ar', renderConfirmPage({ request: signature, locale: 'ar', campaignTitle: 'الحرية للصحفيين', action: '/confirm/t' }));
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(html).toContain('<h1>أكِّد توقيعك</h1>');
    expect(html).toContain('«الحرية للصحفيين»');
    for (const label of ['الحملة', 'الاسم', 'البلد', 'إظهار الاسم للعموم', 'التعليق']) expect(html).toContain(`<dt>${label}</dt>`);
    // Country names come from Intl in the page's language, with the code the person chose.
    expect(html).toContain('المغرب (MA)');
    expect(html).toContain('<dd dir="auto">نعم</dd>');
    expect(html).toContain('name="request" value="req_1"');
    expect(html).toContain('تأكيد توقيعي</button>');
    expect(html).not.toContain('Confirm');
  });

  it('speaks French and English with their own labels and country names', () => {
    const fr = page('fr', renderConfirmPage({ request: signature, locale: 'fr', campaignTitle: 'Libérez-les', action: '/confirm/t' }));
    expect(fr).toMatch(/<html lang="fr" dir="ltr">/);
    expect(fr).toContain('<dt>Nom affiché publiquement</dt>');
    expect(fr).toContain('Maroc (MA)');
    expect(fr).toContain('« Libérez-les »');
    const en = page('en', renderConfirmPage({ request: signature, locale: 'en', campaignTitle: 'Free them', action: '/confirm/t' }));
    expect(en).toContain('Morocco (MA)');
    expect(en).toContain('<dt>Name listed publicly</dt>');
  });

  it('escapes what a person typed', () => {
    const request = { ...signature, item: { ...signature.item, name: '<script>alert(1)</script>' } };
    const html = page('en', renderConfirmPage({ request, locale: 'en', campaignTitle: '"><img>', action: '/confirm/t' }));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('"><img>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('tells an erasure exactly what goes, and what stays, before and after', () => {
    const erasure: ShownRequest = { action: 'erasure', confirmed: false, requestId: 'r', item: {} };
    const before = page('es', renderConfirmPage({ request: erasure, locale: 'es', campaignTitle: '', action: '/confirm/t' }));
    expect(before).toContain('tu nombre, dirección, código postal y comentario en cada firma');
    expect(before).toContain('Borrar mis datos</button>');
    const after = page('es', renderErasedPage({ locale: 'es' }));
    expect(after).toContain('<h1>Tus datos están borrados</h1>');
    expect(after).toContain('tu suscripción a los llamamientos urgentes y al resumen semanal');
    expect(after).toContain('empiezas de cero');
    expect(after).not.toContain('No se puede deshacer');
    expect(after).not.toContain('<form');
  });

  it('shows a subscription with its choices, and an already confirmed request with no button', () => {
    const subscription: ShownRequest = { action: 'subscription', confirmed: true, requestId: 'r', item: { urgent: false, digest: 'weekly', countries: ['TN', 'MA'], topics: [], locale: 'fr' } };
    const html = page('fr', renderConfirmPage({ request: subscription, locale: 'fr', campaignTitle: '', action: '/confirm/t' }));
    expect(html).toContain('<h1>Déjà confirmé</h1>');
    expect(html).toContain('Tunisie (TN), Maroc (MA)');
    expect(html).toContain('<dd dir="auto">français</dd>');
    expect(html).not.toContain('<form');
  });
});

describe('the thanks page after signing', () => {
  const input = { campaignTitle: 'Free them', total: 12_345, goal: 50_000, campaignUrl: 'https://t.example/act/free-them?locale=fr', shareUrl: 'https://t.example/act/free-them' };

  it('gives the count, the campaign page, share links and the offer to subscribe', () => {
    const html = page('fr', renderSignedPage({ ...input, locale: 'fr', subscribeAction: '/confirm/tok' }));
    expect(html).toContain('<h1>Merci d’avoir signé</h1>');
    expect(html).toContain('<dt>Signatures à ce jour</dt><dd>12\u202f345</dd>');
    expect(html).toContain('<dt>Objectif</dt><dd>50\u202f000</dd>');
    expect(html).toContain('href="https://t.example/act/free-them?locale=fr"');
    expect(html).toContain(`https://wa.me/?text=${encodeURIComponent('Free them https://t.example/act/free-them')}`);
    // The offer carries the link's own token and nothing about the person.
    expect(html).toMatch(/<form method="post" action="\/confirm\/tok"><input type="hidden" name="also" value="subscribe">/);
  });

  it('leaves the offer out for someone already subscribed, and reads right to left in Arabic', () => {
    const html = page('ar', renderSignedPage({ ...input, locale: 'ar' }));
    expect(html).toMatch(/dir="rtl"/);
    expect(html).toContain('<dt>التوقيعات حتى الآن</dt>');
    expect(html).toContain('شارك');
    expect(html).not.toContain('name="also"');
  });
});

describe('unsubscribe and preferences pages', () => {
  it('offers to receive less on the unsubscribe page, keeping the one-click form', () => {
    const html = page('es', renderUnsubscribePage({ locale: 'es', action: '/unsubscribe/tok', preferencesHref: '/preferences/tok' }));
    expect(html).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(html).toContain('<a href="/preferences/tok">Cambiar lo que recibes</a>');
  });

  it("shows the subscriber's choices ticked, countries named in the page's language, each language in itself", () => {
    const subscriber = { status: 'confirmed', urgent: true, digest: 'none' as const, countries: ['TN'], topics: ['press-freedom'], locale: 'ar' };
    const html = page('ar', renderPreferencesPage({ locale: 'ar', subscriber, countries: ['MA'], topics: ['prisoners'], action: '/preferences/tok', unsubscribeHref: '/unsubscribe/tok' }));
    expect(html).toMatch(/dir="rtl"/);
    expect(html).toContain('<input type="checkbox" id="urgent" name="urgent" value="on" checked>');
    expect(html).toContain('<input type="checkbox" id="digest" name="digest" value="on">');
    expect(html).toContain('value="TN" checked> <label for="country-TN">تونس</label>');
    expect(html).toContain('value="MA"> <label for="country-MA">المغرب</label>');
    expect(html).toContain('value="press-freedom" checked>');
    expect(html).toContain('<option value="ar" lang="ar" selected>العربية</option>');
    expect(html).toContain('<option value="fr" lang="fr">français</option>');
  });

  it('has no form for an unsubscribed address', () => {
    const subscriber = { status: 'unsubscribed', urgent: true, digest: 'weekly' as const, countries: [], topics: [] };
    const html = page('en', renderPreferencesPage({ locale: 'en', subscriber, countries: [], topics: [], action: '/preferences/t', unsubscribeHref: '/unsubscribe/t' }));
    expect(html).toContain('This address is unsubscribed');
    expect(html).not.toContain('<form');
  });

  it('reads the form whole: unticked means off, no country means all, typed codes join the ticked ones', () => {
    const form = new URLSearchParams('urgent=on&country=MA&otherCountries=tn,+ma&topic=prisoners&locale=fr');
    expect(preferencesSchema.parse(preferencesFromForm(form))).toEqual({ urgent: true, digest: 'none', countries: ['MA', 'TN'], topics: ['prisoners'], locale: 'fr' });
    expect(preferencesSchema.safeParse(preferencesFromForm(new URLSearchParams('otherCountries=Morocco'))).success).toBe(false);
    expect(preferencesSchema.safeParse(preferencesFromForm(new URLSearchParams('locale=de'))).success).toBe(false);
    expect(preferencesSchema.safeParse({ urgent: 'yes' }).success).toBe(false);
  });
});

describe('links that cannot be used', () => {
  it('say why in the language given, with the problem status', () => {
    const expired = linkProblemPage(gone('This confirmation link has expired. Sign again to receive a new one.'), 'ar');
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toMatch(/<html lang="ar" dir="rtl">/);
    expect(expired.body).toContain('انتهت صلاحية هذا الرابط');
    expect(linkProblemPage(gone('What this link confirms no longer exists.'), 'fr').body).toContain('n’existe plus');
    expect(linkProblemPage(notFound('x'), 'es').body).toContain('Este enlace no es conocido');
    expect(linkProblemPage(noSubscription(), 'en').body).toContain('There is no subscription for this link.');
    expect(linkProblemPage(conflict('request-changed', 'x'), 'en').statusCode).toBe(409);
    expect(expired.headers?.['cache-control']).toBeUndefined();
  });

  it("take the browser's language when the link's request left none", () => {
    const event = (value: string) => httpEvent({ headers: { 'accept-language': value } });
    expect(browserLocale(event('de-DE,ar;q=0.8,fr;q=0.5'))).toBe('ar');
    expect(browserLocale(event('es-MX'))).toBe('es');
    expect(browserLocale(event('de'))).toBe('en');
    expect(browserLocale(httpEvent())).toBe('en');
  });
});

describe('the bulk mail footer', () => {
  it('offers the preferences page beside unsubscribe, with the same token, in both parts', () => {
    const { html, text } = renderParts({
      locale: 'ar',
      title: 'نداء',
      body: [],
      footer: { sender: 'Tadamon', unsubscribeUrl: 'https://t.example/unsubscribe/TOKEN_1' },
    });
    expect(html).toContain('href="https://t.example/preferences/TOKEN_1"');
    expect(html).toContain('غيّر ما تتلقاه</a>');
    expect(text).toContain('لتغيير ما تتلقاه:\nhttps://t.example/preferences/TOKEN_1');
    const transactional = renderParts({ locale: 'en', title: 'Confirm', body: [], footer: { sender: 'Tadamon' } });
    expect(transactional.html).not.toContain('/preferences/');
  });
});
