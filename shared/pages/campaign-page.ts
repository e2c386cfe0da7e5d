import { localise, signersOf, type Campaign, type Counts } from '#shared/domain/campaign.ts';
import type { PublicEndorsement } from '#shared/domain/endorsement.ts';
import { optInText, partnersOf, type Partner } from '#shared/domain/partners.ts';
import { escapeHtml } from '#shared/http/responses.ts';
import { formatNumber, intlLocale, mailLocale, textDirection, type MailLocale } from '#shared/i18n/locales.ts';
import { campaignPageStrings, type CampaignPageStrings } from '#shared/i18n/strings/campaign-page.ts';
import { builtInPageUrl } from './campaign-page-url.ts';
import { campaignLocales } from './campaign-locales.ts';
import { countryOptions } from './countries.ts';
import { renderPage } from './layout.ts';
import { renderMarkdown } from './markdown.ts';
import { renderShareLinks } from './share-links.ts';

/**
 * The public page of a campaign: everything a supporter needs to read it, sign it and pass it on, as plain
 * HTML that works without script. The widget (`<tadamon-action>`) wraps the plain form: once its script
 * runs, its shadow root (which has no default slot) takes the form's place, with live counts and the
 * statement's endorsement form; without it, the form posts to this page's own address.
 */

export interface WidgetEmbed {
  /** The widget script's URL. */
  scriptUrl: string;
  /** The API the widget talks to (this deployment). */
  api: string;
  captcha?: { provider: string; siteKey: string } | undefined;
}

export interface CampaignPageInput {
  /** As stored: the page picks the translation itself and lists the others as alternates. */
  campaign: Campaign;
  /** The negotiated locale (shared/pages/page-locale.ts). */
  locale: string;
  counts: Counts;
  /** Whether the form is offered (the campaign is open and within its dates). */
  signable: boolean;
  /** PUBLIC_URL: the page's own address, canonical and alternates. */
  baseUrl: string;
  /** Campaigns organisations sign (statements): a page of approved endorsements, and the cursor it was read from (`?orgs=`). */
  endorsements?: { items: readonly PublicEndorsement[]; nextCursor: string | null; cursor?: string | undefined } | undefined;
  widget?: WidgetEmbed | undefined;
  /**
   * An optional figure of signatures over time (an inline SVG, already safe), shown under the counter: the
   * page leaves it out when absent.
   */
  chart?: string | undefined;
}

const e = escapeHtml;

function languageName(tag: string): string {
  try {
    // Each language by its own name ("Français", "العربية"), as a reader looking for theirs expects.
    return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** `<head>` links and meta: canonical, `hreflang` alternates (and x-default), Open Graph and Twitter card. */
function headOf(campaign: Campaign, shown: Campaign, locale: string, url: string, baseUrl: string): string {
  const alternates = campaignLocales(campaign)
    .map((l) => `<link rel="alternate" hreflang="${e(l)}" href="${e(builtInPageUrl(campaign, l, baseUrl))}">`)
    .join('');
  const ogLocale = (tag: string) => tag.replace('-', '_');
  const otherOgLocales = campaignLocales(campaign)
    .filter((l) => l !== locale)
    .map((l) => `<meta property="og:locale:alternate" content="${e(ogLocale(l))}">`)
    .join('');
  const description = shown.summary || shown.title;
  return [
    `<link rel="canonical" href="${e(url)}">`,
    alternates,
    `<link rel="alternate" hreflang="x-default" href="${e(builtInPageUrl(campaign, undefined, baseUrl))}">`,
    `<meta property="og:type" content="website">`,
    `<meta property="og:title" content="${e(shown.title)}">`,
    `<meta property="og:description" content="${e(description)}">`,
    `<meta property="og:url" content="${e(url)}">`,
    `<meta property="og:locale" content="${e(ogLocale(locale))}">`,
    otherOgLocales,
    `<meta name="twitter:card" content="summary">`,
    `<meta name="twitter:title" content="${e(shown.title)}">`,
    `<meta name="twitter:description" content="${e(description)}">`,
  ].join('');
}

function counterOf(t: CampaignPageStrings, words: MailLocale, campaign: Campaign, counts: Counts): string {
  const n = (value: number) => formatNumber(words, value);
  const lines: string[] = [];
  // What the campaign gathers (`signers`): organisations come first where they sign, people where they do.
  const signers = signersOf(campaign);
  if (signers !== 'people') lines.push(`<p class="count">${e(t.endorsements(counts.endorsements, n(counts.endorsements)))}</p>`);
  if (signers === 'people' || (signers === 'both' && counts.total > 0)) {
    const goal = counts.goal && counts.goal > 0 ? counts.goal : null;
    lines.push(`<p class="count">${e(t.signatures(counts.total, n(counts.total)))}${goal ? ` <span class="muted">${e(t.ofGoal(n(goal)))}</span>` : ''}</p>`);
    if (goal) {
      const value = Math.min(counts.total, goal);
      lines.push(`<progress max="${goal}" value="${value}" aria-label="${e(t.progressLabel)}">${Math.floor((value / goal) * 100)}%</progress>`);
    }
  }
  return `<section class="counter" aria-live="polite">${lines.join('')}</section>`;
}

/** Plain text of a letter: paragraphs at blank lines, line breaks kept. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${e(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function countryName(words: MailLocale, code: string | null): string {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([intlLocale(words)], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function organisationsOf(t: CampaignPageStrings, words: MailLocale, input: CampaignPageInput, pageUrl: string): string {
  const page = input.endorsements;
  if (!page) return '';
  const items = page.items
    .map((o) => {
      const name = o.website ? `<a href="${e(o.website)}" rel="noopener noreferrer nofollow ugc">${e(o.organisation)}</a>` : e(o.organisation);
      const country = o.country ? ` <span class="muted">(${e(countryName(words, o.country))})</span>` : '';
      return `<li>${name}${country}</li>`;
    })
    .join('');
  const more = page.nextCursor
    ? `<p><a href="${e(`${pageUrl}${pageUrl.includes('?') ? '&' : '?'}orgs=${encodeURIComponent(page.nextCursor)}#organisations`)}">${e(t.moreOrganisations)}</a></p>`
    : '';
  return `<section aria-labelledby="organisations"><h2 id="organisations">${e(t.organisations)}</h2>${items ? `<ul class="orgs">${items}</ul>` : `<p>${e(t.noOrganisations)}</p>`}${more}</section>`;
}

function field(id: string, label: string, control: string, hint?: string): string {
  return `<p class="field"><label for="${id}">${label}</label>${hint ? `<span class="muted hint" id="${id}-hint">${hint}</span>` : ''}${control}</p>`;
}

/**
 * One unticked box per partner organisation, its text exactly as the consent will record it (`optInText` in
 * the form's own `locale`, which the form sends with it); nothing when the campaign names none.
 */
export function partnerChoices(t: CampaignPageStrings, locale: string, partners: readonly Partner[]): string {
  if (!partners.length) return '';
  const boxes = partners
    .map((p) => `<p><label><input type="checkbox" name="partners" value="${e(p.id)}"> ${e(optInText(p, locale))}</label></p>`)
    .join('');
  return `<fieldset class="partners" aria-describedby="f-partners-hint"><legend>${e(t.partners)}</legend><p class="muted hint" id="f-partners-hint">${e(t.partnersHint)}</p>${boxes}</fieldset>`;
}

/** The plain form: posts to the page's own address (functions/http/post-campaign-form.ts), no script needed. */
export function signatureForm(t: CampaignPageStrings, words: MailLocale, locale: string, action: string, partners: readonly Partner[] = []): string {
  const optional = ` <span class="muted">${e(t.optional)}</span>`;
  const countries = countryOptions(words)
    .map(({ code, name }) => `<option value="${code}">${e(name)}</option>`)
    .join('');
  return `<form method="post" action="${e(action)}" class="sign">
<input type="hidden" name="locale" value="${e(locale)}">
${field('f-name', e(t.name), '<input id="f-name" name="name" required maxlength="200" autocomplete="name">')}
${field('f-email', e(t.email), '<input id="f-email" name="email" type="email" required maxlength="254" autocomplete="email" dir="ltr">')}
${field('f-country', e(t.country), `<select id="f-country" name="country" required autocomplete="country"><option value="">—</option>${countries}</select>`)}
${field('f-postcode', `${e(t.postcode)}${optional}`, '<input id="f-postcode" name="postcode" maxlength="20" autocomplete="postal-code">')}
${field('f-comment', `${e(t.comment)}${optional}`, '<textarea id="f-comment" name="comment" maxlength="1000" rows="3"></textarea>')}
<p class="hp" aria-hidden="true"><label>Website <input name="website" tabindex="-1" autocomplete="off"></label></p>
<p><label><input type="checkbox" name="public" value="true"> ${e(t.showName)}</label></p>
<p><label><input type="checkbox" name="subscribe" value="true"> ${e(t.subscribe)}</label></p>
${partnerChoices(t, locale, partners)}
<p class="muted">${e(t.privacy)}</p>
<p><button type="submit">${e(t.sign)}</button></p>
</form>`;
}

const pageCss = `<style>.kind{text-transform:uppercase;letter-spacing:.05em;font-size:.85rem;color:#555;margin:0}.lead{font-size:1.15rem}
.counter{border-block:1px solid #ddd;padding-block:.5rem;margin-block:1rem}.count{font-size:1.3rem;font-weight:600;margin:.25rem 0}
progress{width:100%;height:1rem}.field label{display:block;font-weight:600}.hint{display:block;font-size:.9rem}
input:not([type=checkbox]),select,textarea{font:inherit;width:100%;padding:.4rem;border:1px solid #767676;border-radius:.25rem}
.hp{position:absolute;inset-inline-start:-9999px}fieldset.partners{border:1px solid #ddd;border-radius:.25rem;margin-block:1rem}.notice{padding:.75rem 1rem;background:#fff4ce;border-inline-start:4px solid #b58100}
nav.languages ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}blockquote{margin-inline:0;padding-inline-start:1rem;border-inline-start:4px solid #ddd}</style>`;

export function renderCampaignPage(input: CampaignPageInput): string {
  const { campaign, locale, baseUrl } = input;
  const shown = localise(campaign, locale);
  const words = mailLocale(locale);
  const t = campaignPageStrings[words];
  const url = builtInPageUrl(campaign, locale, baseUrl);
  // The page's words may be in the reader's language while the campaign has no translation into it.
  const l = shown.locale !== locale ? ` lang="${e(shown.locale)}" dir="${textDirection(mailLocale(shown.locale))}"` : '';

  const header = `<p class="kind">${e(t.kinds[campaign.kind])}</p><h1${l}>${e(shown.title)}</h1>${shown.summary ? `<p class="lead"${l}>${e(shown.summary)}</p>` : ''}${
    shown.issuedBy ? `<p class="muted">${e(t.issuedBy)}: ${e(shown.issuedBy)}</p>` : ''
  }`;
  const status =
    campaign.status === 'closed' ? `<p class="notice">${e(t.closed)}</p>` : !input.signable ? `<p class="notice">${e(t.notYetOpen)}</p>` : '';
  const counter = counterOf(t, words, campaign, input.counts);
  // The figure of signatures over time, when there is one: its own section, after the counter.
  const chart = input.chart ? `<section class="chart">${input.chart}</section>` : '';
  const body = shown.body ? `<div class="text"${l}>${renderMarkdown(shown.body)}</div>` : '';
  const demands = shown.demands.length
    ? `<section aria-labelledby="demands"><h2 id="demands">${e(t.demands)}</h2><ol${l}>${shown.demands.map((d) => `<li>${e(d)}</li>`).join('')}</ol></section>`
    : '';
  const letter = shown.letter
    ? `<section aria-labelledby="letter"><h2 id="letter">${e(t.letter)}</h2>${shown.target ? `<p><strong>${e(t.letterTo(shown.target))}</strong></p>` : ''}<blockquote${l}>${paragraphs(shown.letter)}</blockquote></section>`
    : '';
  const organisations = organisationsOf(t, words, input, url);

  let form = '';
  const signers = signersOf(campaign);
  if (input.signable) {
    // Where only organisations sign, the widget's endorsement form is the only form; the plain form is for people,
    // and posts relative to the page's own path (`/act/{slug}`), whatever host or stage prefix it is served under.
    const plain = signers === 'organisations' ? `<p>${e(t.endorseHint)}</p>` : signatureForm(t, words, locale, encodeURIComponent(campaign.slug), partnersOf(campaign));
    const w = input.widget;
    const wrapped = w
      ? `<tadamon-action campaign="${e(campaign.slug)}" api="${e(w.api)}" locale="${e(locale)}"${
          w.captcha ? ` captcha="${e(w.captcha.provider)}" captcha-site-key="${e(w.captcha.siteKey)}"` : ''
        }>${plain}</tadamon-action><script src="${e(w.scriptUrl)}" defer></script>`
      : plain;
    const hint = signers === 'both' ? `<p class="muted">${e(t.endorseHint)}</p>` : '';
    form = `<section aria-labelledby="sign"><h2 id="sign">${e(t.signHeading)}</h2>${hint}${wrapped}</section>`;
  }

  const others = campaignLocales(campaign).filter((l) => l !== locale);
  const languages = others.length
    ? `<nav class="languages" aria-label="${e(t.otherLanguages)}"><ul>${others
        .map((l) => `<li><a href="${e(builtInPageUrl(campaign, l, baseUrl))}" hreflang="${e(l)}" lang="${e(l)}">${e(languageName(l))}</a></li>`)
        .join('')}</ul></nav>`
    : '';

  return renderPage({
    locale,
    title: shown.title,
    description: shown.summary || shown.title,
    head: headOf(campaign, shown, locale, url, baseUrl) + pageCss,
    indexable: true,
    body: [header, status, counter, chart, body, demands, letter, organisations, form, renderShareLinks({ url, title: shown.title, locale }), languages].join('\n'),
  });
}
