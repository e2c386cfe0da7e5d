import { localise, signersOf, type Campaign, type Counts } from '#shared/domain/campaign.ts';
import { escapeHtml } from '#shared/http/responses.ts';
import { formatNumber, mailLocale, mailLocales, textDirection } from '#shared/i18n/locales.ts';
import { campaignPageStrings } from '#shared/i18n/strings/campaign-page.ts';
import { pageUrlFor } from '#shared/domain/campaign-page-url.ts';
import { renderPage } from './layout.ts';

/**
 * The front page: the open campaigns with their counters, then the closed ones, a page at a time, in the
 * visitor's language (each campaign in its translation where it has one), each linking to its page.
 */

export interface FrontPageSection {
  campaigns: readonly { campaign: Campaign; counts: Counts }[];
  /** The address of the next page of this section, when there is one. */
  nextUrl?: string | undefined;
}

export interface FrontPageInput {
  locale: string;
  baseUrl: string;
  /** CAMPAIGN_PAGE_URL, when the stage sets one: campaigns link where mails send their readers. */
  pageUrlTemplate?: string | undefined;
  /** Absent when this page shows only closed campaigns (a later page of them). */
  open?: FrontPageSection | undefined;
  /** Absent while open campaigns remain to be paged through. */
  closed?: FrontPageSection | undefined;
}

const e = escapeHtml;

/** The front page in a locale, for `hreflang` and links between languages. */
export function frontPageUrl(baseUrl: string, locale?: string): string {
  const base = `${baseUrl.replace(/\/+$/, '')}/`;
  return locale && locale !== 'en' ? `${base}?locale=${encodeURIComponent(locale)}` : base;
}

export function renderFrontPage(input: FrontPageInput): string {
  const words = mailLocale(input.locale);
  const t = campaignPageStrings[words];
  const card = ({ campaign, counts }: { campaign: Campaign; counts: Counts }) => {
    const c = localise(campaign, input.locale);
    const n = (value: number) => formatNumber(words, value);
    const count =
      signersOf(campaign) !== 'people'
        ? t.endorsements(counts.endorsements, n(counts.endorsements))
        : `${t.signatures(counts.total, n(counts.total))}${counts.goal ? ` ${t.ofGoal(n(counts.goal))}` : ''}`;
    // A campaign not translated into the page's language keeps its own language and direction.
    const lang = c.locale !== input.locale ? ` lang="${e(c.locale)}" dir="${textDirection(mailLocale(c.locale))}"` : '';
    return `<li${lang}><p class="kind">${e(t.kinds[campaign.kind])}</p><h3><a href="${e(pageUrlFor(campaign, input.locale, { baseUrl: input.baseUrl, template: input.pageUrlTemplate }))}">${e(c.title)}</a></h3>${
      c.summary ? `<p>${e(c.summary)}</p>` : ''
    }<p class="count">${e(count)}</p></li>`;
  };
  const section = (id: string, heading: string, s: FrontPageSection | undefined) => {
    if (!s) return '';
    const list = s.campaigns.length ? `<ul class="campaigns">${s.campaigns.map(card).join('')}</ul>` : `<p>${e(t.noCampaigns)}</p>`;
    const more = s.nextUrl ? `<p><a href="${e(s.nextUrl)}" rel="next">${e(t.more)}</a></p>` : '';
    return `<section aria-labelledby="${id}"><h2 id="${id}">${e(heading)}</h2>${list}${more}</section>`;
  };
  const alternates = mailLocales
    .map((l) => `<link rel="alternate" hreflang="${l}" href="${e(frontPageUrl(input.baseUrl, l))}">`)
    .join('');
  const head = `<link rel="canonical" href="${e(frontPageUrl(input.baseUrl, input.locale))}">${alternates}<link rel="alternate" hreflang="x-default" href="${e(
    frontPageUrl(input.baseUrl),
  )}"><meta property="og:title" content="${e(t.frontTitle)}"><meta property="og:description" content="${e(t.frontIntro)}"><meta property="og:url" content="${e(
    frontPageUrl(input.baseUrl, input.locale),
  )}"><meta property="og:locale" content="${e(input.locale.replace('-', '_'))}"><meta name="twitter:card" content="summary">
<style>.kind{text-transform:uppercase;letter-spacing:.05em;font-size:.8rem;color:#555;margin:0}ul.campaigns{list-style:none;padding:0}ul.campaigns li{border-block-end:1px solid #ddd;padding-block:.75rem}ul.campaigns h3{margin:.1rem 0}.count{font-weight:600;margin:0}</style>`;
  const languages = `<nav aria-label="${e(t.otherLanguages)}"><ul class="share">${mailLocales
    .filter((l) => l !== words)
    .map((l) => `<li><a href="${e(frontPageUrl(input.baseUrl, l))}" hreflang="${l}" lang="${l}">${e(new Intl.DisplayNames([l], { type: 'language' }).of(l) ?? l)}</a></li>`)
    .join('')}</ul></nav>`;
  return renderPage({
    locale: input.locale,
    title: t.frontTitle,
    description: t.frontIntro,
    indexable: true,
    head,
    body: `<h1>${e(t.frontTitle)}</h1><p>${e(t.frontIntro)}</p>${section('open', t.openCampaigns, input.open)}${section('closed', t.closedCampaigns, input.closed)}${languages}`,
  });
}
