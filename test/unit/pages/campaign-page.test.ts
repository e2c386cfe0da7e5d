import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formToSignature } from '#functions/http/post-campaign-form.ts';
import { campaignFeed } from '#shared/domain/campaign-feed.ts';
import { pageUrlFor } from '#shared/domain/campaign-page-url.ts';
import { campaignInputSchema, campaignPatchSchema, type Campaign, type Counts } from '#shared/domain/campaign.ts';
import { renderCampaignPage } from '#shared/pages/campaign-page.ts';
import { renderFormAnswer } from '#shared/pages/form-answer-page.ts';
import { renderFrontPage } from '#shared/pages/front-page.ts';
import { renderMarkdown } from '#shared/pages/markdown.ts';
import { negotiateLocale } from '#shared/pages/page-locale.ts';
import { publicPageSecurityPolicy } from '#shared/pages/public-html.ts';

const base = 'https://tadamon.example.org';

const petition: Campaign = {
  slug: 'free-ahmed',
  kind: 'petition',
  title: 'Free Ahmed',
  summary: 'Held since 2023 for a post.',
  body: '# Why\n\nAhmed wrote **one post**.\n\n<script>alert("x")</script>\n\n[a trap](javascript:alert(1)) and [the report](https://example.org/report)',
  target: 'The Minister of Justice',
  letter: 'Dear Minister,\n\nRelease him.\nNow.',
  demands: ['Release Ahmed', 'Drop the charges'],
  issuedBy: 'The committee',
  locale: 'en',
  translations: {
    ar: { title: 'الحرية لأحمد', summary: 'معتقل منذ 2023 بسبب منشور.', body: 'كتب أحمد منشورًا واحدًا.', target: 'وزير العدل', letter: 'السيد الوزير،' },
    fr: { title: 'Libérez Ahmed' },
  },
  countries: ['MA'],
  topics: [],
  goal: 1000,
  urgent: false,
  status: 'open',
  createdAt: '2036-01-01T00:00:00.000Z',
  updatedAt: '2036-01-01T00:00:00.000Z',
};

const counts: Counts = { signatures: 300, offset: 12, total: 312, endorsements: 0, goal: 1000, byCountry: { MA: 300 } };

const page = (overrides: Partial<Parameters<typeof renderCampaignPage>[0]> = {}) =>
  renderCampaignPage({ campaign: petition, locale: 'en', counts, signable: true, baseUrl: base, ...overrides });

const meta = (html: string, property: string) => new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)"`).exec(html)?.[1];

describe('the campaign page', () => {
  it('renders Markdown with raw HTML shown as text and unsafe links refused', () => {
    const html = renderMarkdown(petition.body);
    expect(html).toContain('<strong>one post</strong>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('<a href="https://example.org/report" rel="noopener noreferrer nofollow">');
    // The page's title is its one h1: the text's headings go a level down.
    expect(html).toContain('<h2>Why</h2>');
  });

  it('shows title, summary, text, demands, the letter and its target, the counter and the goal', () => {
    const html = page();
    expect(html).toContain('<h1>Free Ahmed</h1>');
    expect(html).toContain('Held since 2023 for a post.');
    expect(html).toContain('<li>Drop the charges</li>');
    expect(html).toContain('To: The Minister of Justice');
    expect(html).toContain('<p>Release him.<br>Now.</p>');
    expect(html).toContain('312 signatures');
    expect(html).toContain('<progress max="1000" value="312"');
    expect(html).toContain('<form method="post" action="free-ahmed"');
  });

  it('carries canonical, hreflang alternates with x-default, Open Graph and Twitter card meta', () => {
    const html = page({ locale: 'fr' });
    expect(html).toContain(`<link rel="canonical" href="${base}/act/free-ahmed?locale=fr">`);
    expect(html).toContain(`<link rel="alternate" hreflang="en" href="${base}/act/free-ahmed">`);
    expect(html).toContain(`<link rel="alternate" hreflang="ar" href="${base}/act/free-ahmed?locale=ar">`);
    expect(html).toContain(`<link rel="alternate" hreflang="fr" href="${base}/act/free-ahmed?locale=fr">`);
    expect(html).toContain(`<link rel="alternate" hreflang="x-default" href="${base}/act/free-ahmed">`);
    expect(meta(html, 'og:title')).toBe('Libérez Ahmed');
    expect(meta(html, 'og:url')).toBe(`${base}/act/free-ahmed?locale=fr`);
    expect(meta(html, 'og:locale')).toBe('fr');
    expect(meta(html, 'og:description')).toBe('Held since 2023 for a post.');
    expect(meta(html, 'twitter:card')).toBe('summary');
  });

  it('is right to left in Arabic, with the translation, its target and Arabic words', () => {
    const html = page({ locale: 'ar' });
    expect(html).toMatch(/^<!doctype html><html lang="ar" dir="rtl">/);
    expect(html).toContain('<h1>الحرية لأحمد</h1>');
    expect(html).toContain('إلى: وزير العدل');
    expect(html).toContain('وقّع');
  });

  it('marks the campaign text with its own language when the page speaks another', () => {
    const html = page({ locale: 'es' });
    expect(html).toMatch(/<html lang="es" dir="ltr">/);
    expect(html).toContain('<h1 lang="en" dir="ltr">Free Ahmed</h1>');
    expect(html).toContain('Firmar');
  });

  it('escapes every campaign field', () => {
    const hostile = { ...petition, title: '<img src=x onerror=alert(1)>"', summary: '"><script>x</script>', translations: {} };
    const html = page({ campaign: hostile });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;');
  });

  it('offers share links to the page and the plain form inside the widget, whose script it loads', () => {
    const html = page({ widget: { scriptUrl: `${base}/widget.js`, api: base } });
    expect(html).toContain(`https://wa.me/?text=${encodeURIComponent(`Free Ahmed ${base}/act/free-ahmed`)}`);
    expect(html).toContain('https://bsky.app/intent/compose');
    expect(html).toMatch(/<tadamon-action campaign="free-ahmed" api="https:\/\/tadamon\.example\.org" locale="en"><form method="post"/);
    expect(html).toContain(`<script src="${base}/widget.js" defer></script>`);
  });

  it('shows no form on a closed campaign, and says it is closed', () => {
    const html = page({ campaign: { ...petition, status: 'closed' }, signable: false });
    expect(html).not.toContain('<form');
    expect(html).toContain('This campaign is closed.');
  });

  it('reports a statement by its endorsing organisations, with a link to the next page of them', () => {
    const statement = { ...petition, kind: 'statement' as const, goal: undefined };
    const html = page({
      campaign: statement,
      counts: { ...counts, total: 0, signatures: 0, offset: 0, endorsements: 2, goal: null },
      endorsements: { items: [{ organisation: 'ASDH', country: 'MA', website: 'https://asdh.example' }, { organisation: 'Comité <b>', country: null }], nextCursor: 'abc+/=' },
    });
    expect(html).toContain('2 organisations have endorsed it');
    expect(html).not.toContain('0 signatures');
    expect(html).toContain('<a href="https://asdh.example" rel="noopener noreferrer nofollow ugc">ASDH</a> <span class="muted">(Morocco)</span>');
    expect(html).toContain('Comité &lt;b&gt;');
    expect(html).toContain(`href="${base}/act/free-ahmed?orgs=abc%2B%2F%3D#organisations"`);
  });

  it('offers no plain form where only organisations sign, only the way to endorse', () => {
    const html = page({ campaign: { ...petition, kind: 'statement', signers: 'organisations' }, endorsements: { items: [], nextCursor: null } });
    expect(html).not.toContain('<form');
    expect(html).toContain('Organisations can endorse this statement');
    expect(html).toContain('No organisation is listed yet.');
  });

  it('weighs far less than 60 KB compressed, even with a long text', () => {
    const long = { ...petition, body: 'A paragraph of the campaign text that goes on. '.repeat(800) };
    expect(gzipSync(page({ campaign: long })).length).toBeLessThan(60 * 1024);
  });

  it("answers the form with the campaign's name, or with what to correct", () => {
    expect(renderFormAnswer(petition, 'ar', base, { ok: true })).toContain('«الحرية لأحمد»');
    const problem = renderFormAnswer(petition, 'en', base, { ok: false, messages: ['Your email address: <Not valid>'] });
    expect(problem).toContain('<li>Your email address: &lt;Not valid&gt;</li>');
  });
});

describe('the front page', () => {
  it('lists open campaigns with their counters, then closed ones, each linking to its page, in the reader language', () => {
    const closed = { ...petition, slug: 'old', title: 'Old', status: 'closed' as const, translations: {} };
    const html = renderFrontPage({
      locale: 'ar',
      baseUrl: base,
      open: { campaigns: [{ campaign: petition, counts }], nextUrl: undefined },
      closed: { campaigns: [{ campaign: closed, counts }], nextUrl: `${base}/?closed=next` },
    });
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(html.indexOf('الحملات المفتوحة')).toBeLessThan(html.indexOf('الحملات المغلقة'));
    expect(html).toContain(`<a href="${base}/act/free-ahmed?locale=ar">الحرية لأحمد</a>`);
    expect(html).toContain(`<li lang="en" dir="ltr"><p class="kind">عريضة</p><h3><a href="${base}/act/old?locale=ar">Old</a>`);
    expect(html).toContain(`href="${base}/?closed=next" rel="next"`);
    expect(html).toContain(`<link rel="alternate" hreflang="x-default" href="${base}/">`);
  });
});

describe('choosing the page language', () => {
  const offered = ['en', 'ar', 'fr'];
  it('takes ?locale= first, then Accept-Language by quality, then the campaign language', () => {
    expect(negotiateLocale({ query: 'ar', acceptLanguage: 'fr' }, offered, 'en')).toBe('ar');
    expect(negotiateLocale({ acceptLanguage: 'de;q=1, fr-CA;q=0.8, ar;q=0.9' }, offered, 'en')).toBe('ar');
    expect(negotiateLocale({ acceptLanguage: 'fr-CA,fr;q=0.9' }, offered, 'en')).toBe('fr');
    expect(negotiateLocale({ acceptLanguage: 'de, ja;q=0.5' }, offered, 'en')).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'ar;q=0, fr;q=0.1' }, offered, 'en')).toBe('fr');
    expect(negotiateLocale({}, offered, 'fr')).toBe('fr');
  });

  it("shows the page's words in a language the campaign has no translation into, and ignores unknown ones", () => {
    expect(negotiateLocale({ query: 'es' }, ['en'], 'en', ['en', 'fr', 'es', 'ar'])).toBe('es');
    expect(negotiateLocale({ acceptLanguage: 'es-MX' }, ['en', 'fr'], 'en', ['en', 'fr', 'es', 'ar'])).toBe('es');
    expect(negotiateLocale({ acceptLanguage: 'es-MX, fr;q=0.5' }, ['en', 'fr'], 'en', ['en', 'fr', 'es', 'ar'])).toBe('fr');
    expect(negotiateLocale({ query: 'de' }, ['en'], 'en', ['en', 'fr', 'es', 'ar'])).toBe('en');
  });
});

describe('where a campaign is read', () => {
  it("is the campaign's own page when it has one, else the stage's template, else this deployment's /act/{slug}", () => {
    expect(pageUrlFor({ ...petition, pageUrl: 'https://org.example/ahmed' }, 'ar', { baseUrl: base, template: 'https://x.example/{slug}' })).toBe('https://org.example/ahmed');
    expect(pageUrlFor(petition, 'ar', { baseUrl: base, template: 'https://org.example/{locale}/act/{slug}' })).toBe('https://org.example/ar/act/free-ahmed');
    expect(pageUrlFor(petition, undefined, { baseUrl: base, template: 'https://org.example/{locale}/act/{slug}' })).toBe('https://org.example/en/act/free-ahmed');
    expect(pageUrlFor(petition, 'ar', { baseUrl: `${base}/` })).toBe(`${base}/act/free-ahmed?locale=ar`);
    expect(pageUrlFor(petition, 'en', { baseUrl: base })).toBe(`${base}/act/free-ahmed`);
  });

  it('is what the Atom feed links to as the alternate', () => {
    const feed = campaignFeed([{ ...petition, pageUrl: 'https://org.example/ahmed' }, { ...petition, slug: 'other' }], { baseUrl: base, locale: 'fr' });
    expect(feed).toContain('<link rel="alternate" type="text/html" href="https://org.example/ahmed"');
    expect(feed).toContain(`<link rel="alternate" type="text/html" href="${base}/act/other?locale=fr"`);
  });

  it('takes only https pages without credentials, on create and on patch', () => {
    const input = { kind: 'petition', title: 'T' };
    expect(campaignInputSchema.safeParse({ ...input, pageUrl: 'https://org.example/act' }).success).toBe(true);
    for (const bad of ['http://org.example/act', 'javascript:alert(1)', 'https://user:pw@org.example/', 'https://localhost/act', 'not a url']) {
      expect(campaignInputSchema.safeParse({ ...input, pageUrl: bad }).success, bad).toBe(false);
      expect(campaignPatchSchema.safeParse({ pageUrl: bad }).success, bad).toBe(false);
    }
  });
});

describe('the plain form', () => {
  it('becomes the signature the API takes: checkboxes to booleans, empty optional fields left out', () => {
    const form = new URLSearchParams({ name: 'Amina', email: ' amina@example.org ', country: 'ma', postcode: '', comment: '', public: 'true', locale: 'ar', website: '' });
    expect(formToSignature(form)).toEqual({ name: 'Amina', email: 'amina@example.org', country: 'MA', public: true, locale: 'ar' });
  });
});

describe("the public pages' content security policy", () => {
  it('loads scripts only from the page and the widget origin, and posts forms only to itself', () => {
    const policy = publicPageSecurityPolicy({ apiOrigin: base, widgetOrigin: 'https://cdn.example', captcha: 'turnstile' });
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self' https://cdn.example https://challenges.cloudflare.com");
    expect(policy).toContain(`connect-src 'self' ${base}`);
    expect(policy).toContain("form-action 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-eval');
  });
});
