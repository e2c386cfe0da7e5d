import { escapeHtml } from '#shared/http/responses.ts';
import { formatNumber, intlLocale, mailLocale, type MailLocale } from '#shared/i18n/locales.ts';
import { linkPageStrings, type LinkPageStrings } from '#shared/i18n/strings/link-pages.ts';
import { renderShareLinks } from './share-links.ts';

/**
 * What the pages behind a confirmation link say, in the language of the request that made the link: the
 * confirm page (exactly what the click would confirm, field by field), and what a click leads to (thanks,
 * the count, share links, the offer to subscribe; the erasure done). Pure: the handlers read, these write.
 */

/** A request as the confirm page shows it: its kind and its stored fields. */
export interface ShownRequest {
  action: 'signature' | 'endorsement' | 'subscription' | 'erasure';
  confirmed: boolean;
  requestId: string | undefined;
  item: Record<string, unknown>;
}

export interface PageContent {
  title: string;
  /** Escaped HTML, under the page's heading. */
  body: string;
}

type Row = [label: string, value: string];

const text = (value: unknown) => (typeof value === 'string' && value ? value : '—');

/** The texts of a request's partner consents (partners.ts), as stored. */
function consentTexts(consents: unknown): string[] {
  if (consents === null || typeof consents !== 'object') return [];
  return Object.values(consents as Record<string, unknown>)
    .map((consent) => (consent !== null && typeof consent === 'object' ? (consent as Record<string, unknown>).text : undefined))
    .filter((value): value is string => typeof value === 'string' && value !== '');
}

function words(locale: MailLocale) {
  const t = linkPageStrings[locale];
  const regions = new Intl.DisplayNames([intlLocale(locale)], { type: 'region' });
  const languages = new Intl.DisplayNames([intlLocale(locale)], { type: 'language' });
  const country = (code: unknown) => {
    if (typeof code !== 'string' || !/^[A-Z]{2}$/.test(code)) return '—';
    return `${regions.of(code) ?? code} (${code})`;
  };
  const list = (values: unknown, named: (value: string) => string = (v) => v) =>
    Array.isArray(values) && values.length ? values.map((v) => named(String(v))).join(locale === 'ar' ? '، ' : ', ') : t.all;
  const language = (tag: unknown) => {
    if (typeof tag !== 'string' || !tag) return '—';
    try {
      return languages.of(tag) ?? tag;
    } catch {
      return tag;
    }
  };
  return { t, yesNo: (value: boolean) => (value ? t.yes : t.no), country, list, language };
}

/** Labels and values of a request, as the person gave them; text of unknown direction is isolated (`dir="auto"`). */
function table(rows: Row[]): string {
  if (!rows.length) return '';
  return `<dl>${rows.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd dir="auto">${escapeHtml(value)}</dd>`).join('')}</dl>`;
}

function rowsOf(request: ShownRequest, locale: MailLocale, campaignTitle: string): { title: string; intro: string; button: string; rows: Row[] } {
  const { t, yesNo, country, list, language } = words(locale);
  const { item } = request;
  switch (request.action) {
    case 'signature':
      return {
        title: t.confirmSignatureTitle,
        intro: t.confirmSignatureIntro(campaignTitle),
        button: t.confirmSignatureButton,
        rows: [
          [t.campaign, campaignTitle],
          [t.name, text(item.name)],
          [t.country, country(item.country)],
          [t.listedPublicly, yesNo(item.public === true)],
          [t.comment, text(item.comment)],
          [t.alsoSubscribe, yesNo(item.subscribe === true)],
          // Each partner organisation the request opted in to, in the words its box showed: the click gives these consents.
          ...consentTexts(item.partnerConsents).map((text): Row => [t.partnerOptIn, text]),
        ],
      };
    case 'endorsement':
      return {
        title: t.confirmEndorsementTitle,
        intro: t.confirmEndorsementIntro(campaignTitle),
        button: t.confirmEndorsementButton,
        rows: [
          [t.campaign, campaignTitle],
          [t.organisation, text(item.organisation)],
          [t.country, country(item.country)],
          [t.website, text(item.website)],
        ],
      };
    case 'subscription':
      return {
        title: t.confirmSubscriptionTitle,
        intro: t.confirmSubscriptionIntro,
        button: t.confirmSubscriptionButton,
        rows: [
          [t.name, text(item.name)],
          [t.urgentCalls, yesNo(item.urgent !== false)],
          [t.weeklyDigest, yesNo(item.digest !== 'none')],
          [t.countries, list(item.countries, (code) => country(code))],
          [t.topics, list(item.topics)],
          [t.language, language(item.locale)],
        ],
      };
    case 'erasure':
      return { title: t.confirmErasureTitle, intro: t.confirmErasureIntro, button: t.confirmErasureButton, rows: [] };
  }
}

function erasureList(t: LinkPageStrings): string {
  return `<ul>${t.erasureErases.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`;
}

/**
 * The confirm page: what the click would confirm, and a form naming the request shown (so a newer request
 * arriving meanwhile is not confirmed blind). Already confirmed: says so, with nothing to press.
 */
export function renderConfirmPage(input: { request: ShownRequest; locale: string; campaignTitle: string; action: string }): PageContent {
  const locale = mailLocale(input.locale);
  const { t } = words(locale);
  const shown = rowsOf(input.request, locale, input.campaignTitle);
  const erasure = input.request.action === 'erasure' ? `${erasureList(t)}<p>${escapeHtml(t.erasureKeeps)}</p>` : '';
  if (input.request.confirmed) {
    return { title: t.alreadyConfirmedTitle, body: `<p>${escapeHtml(t.alreadyConfirmed)}</p>${table(shown.rows)}` };
  }
  const pinned = input.request.requestId ? `<input type="hidden" name="request" value="${escapeHtml(input.request.requestId)}">` : '';
  return {
    title: shown.title,
    body: `<p>${escapeHtml(shown.intro)}</p>${erasure}${table(shown.rows)}
<p class="muted">${escapeHtml(t.notWhatYouAsked)}</p>
<form method="post" action="${escapeHtml(input.action)}">${pinned}<button type="submit">${escapeHtml(shown.button)}</button></form>`,
  };
}

export interface SignedPageInput {
  locale: string;
  campaignTitle: string;
  /** The campaign's count now (the click's own signature may follow within seconds). */
  total: number | undefined;
  goal: number | null | undefined;
  /** The campaign page for this reader, and the address to share (no locale: each reader gets their own). */
  campaignUrl: string;
  shareUrl: string;
  /** The form that subscribes the signer, when they are not subscribed: the confirm link's own address. */
  subscribeAction?: string | undefined;
}

/** After a signature's click: thanks, the count, a link to the campaign, share links, and the offer to subscribe. */
export function renderSignedPage(input: SignedPageInput): PageContent {
  const locale = mailLocale(input.locale);
  const { t } = words(locale);
  const count =
    input.total === undefined
      ? ''
      : `<dl><dt>${escapeHtml(t.signaturesSoFar)}</dt><dd>${escapeHtml(formatNumber(locale, input.total))}</dd>${
          input.goal ? `<dt>${escapeHtml(t.goal)}</dt><dd>${escapeHtml(formatNumber(locale, input.goal))}</dd>` : ''
        }</dl><p class="muted">${escapeHtml(t.countLag)}</p>`;
  const offer = input.subscribeAction
    ? `<section aria-labelledby="subscribe-heading"><h2 id="subscribe-heading">${escapeHtml(t.subscribeOfferHeading)}</h2><p>${escapeHtml(t.subscribeOffer)}</p>
<form method="post" action="${escapeHtml(input.subscribeAction)}"><input type="hidden" name="also" value="subscribe"><button type="submit">${escapeHtml(t.subscribeOfferButton)}</button></form></section>`
    : '';
  return {
    title: t.signedTitle,
    body: `<p>${escapeHtml(t.signed(input.campaignTitle))}</p>${count}
<p><a class="button" href="${escapeHtml(input.campaignUrl)}">${escapeHtml(t.readCampaign)}</a></p>
${renderShareLinks({ url: input.shareUrl, title: input.campaignTitle, locale })}${offer}`,
  };
}

/** After an endorsement's click: it waits for an operator; sharing helps meanwhile. */
export function renderEndorsedPage(input: { locale: string; campaignTitle: string; campaignUrl: string; shareUrl: string }): PageContent {
  const locale = mailLocale(input.locale);
  const { t } = words(locale);
  return {
    title: t.endorsedTitle,
    body: `<p>${escapeHtml(t.endorsed(input.campaignTitle))}</p>
<p><a class="button" href="${escapeHtml(input.campaignUrl)}">${escapeHtml(t.readCampaign)}</a></p>
${renderShareLinks({ url: input.shareUrl, title: input.campaignTitle, locale })}`,
  };
}

/** After a subscription's click (or the offer on the thanks page), with the way to change it. */
export function renderSubscribedPage(input: { locale: string; preferencesHref?: string | undefined }): PageContent {
  const { t } = words(mailLocale(input.locale));
  const change = input.preferencesHref ? `<p><a href="${escapeHtml(input.preferencesHref)}">${escapeHtml(t.changeWhatYouReceive)}</a></p>` : '';
  return { title: t.subscribedTitle, body: `<p>${escapeHtml(t.subscribed)}</p>${change}` };
}

/** After an erasure's click: what is gone, and what stays. */
export function renderErasedPage(input: { locale: string }): PageContent {
  const { t } = words(mailLocale(input.locale));
  return { title: t.erasedTitle, body: `<p>${escapeHtml(t.erased)}</p>${erasureList(t)}<p>${escapeHtml(t.erasedKeeps)}</p>` };
}
