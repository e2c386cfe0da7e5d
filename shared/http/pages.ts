import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mailLocale, mailLocales, type MailLocale } from '#shared/i18n/locales.ts';
import { linkPageStrings, type LinkPageStrings } from '#shared/i18n/strings/link-pages.ts';
import { renderPage } from '#shared/pages/layout.ts';
import { acceptLanguageOf, negotiateLocale } from '#shared/pages/page-locale.ts';
import { Problem } from './problem.ts';
import { escapeHtml, html, type HttpResult } from './responses.ts';

/**
 * The pages behind the links we mail (confirm, thanks, unsubscribe, preferences, erasure): the shared page
 * frame, script-free, never indexed, in the language of the request that made the link.
 */

/** A page behind a personal link, in `locale`. `body` is already-escaped HTML. */
export function linkPage(locale: string, title: string, body: string, status = 200): HttpResult {
  return html(status, renderPage({ locale, title, body: `<h1>${escapeHtml(title)}</h1>${body}` }));
}

/** The words of the link pages in a locale (any BCP 47 tag; unknown ones read English). */
export function linkWords(locale: string | undefined): LinkPageStrings {
  return linkPageStrings[mailLocale(locale)];
}

/**
 * What went wrong with a link, told in the person's language. Problems carry English details for API
 * clients; the page says the same thing from the person's side, chosen by status (and, for 410, whether
 * the link itself expired or what it stood for is gone).
 */
export function problemText(problem: Problem, locale: string | undefined): string {
  const t = linkWords(locale);
  switch (problem.status) {
    case 400:
      return t.badForm;
    case 409:
      return problem.slug === 'unsubscribed' ? t.preferencesUnsubscribed : t.requestChanged;
    case 410:
      return /expired/i.test(problem.message) ? t.linkExpired : t.linkGone;
    default:
      return problem.slug === 'no-subscription' ? t.noSubscription : t.linkUnknown;
  }
}

/** The link opened, but no subscriber is behind it (never subscribed, or erased since). */
export const noSubscription = () => new Problem(404, 'no-subscription', 'There is no subscription for this link.');

/** A link that is unknown, expired or used up: a person followed it, so they get a page in their language, not JSON. */
export function linkProblemPage(problem: Problem, locale: string | undefined): HttpResult {
  const t = linkWords(locale);
  return linkPage(mailLocale(locale), t.linkProblemTitle, `<p>${escapeHtml(problemText(problem, locale))}</p>`, problem.status);
}

/** The locale a link page speaks when the link's request did not say: the browser's best among ours, else English. */
export function browserLocale(event: APIGatewayProxyEventV2): MailLocale {
  return mailLocale(negotiateLocale({ acceptLanguage: acceptLanguageOf(event.headers) }, mailLocales, 'en'));
}

/**
 * The locale of the request a link was made for (a signature's, a subscription's): its pages speak it, as
 * its mail did. A request without one (an erasure) gets the browser's language.
 */
export function requestLocale(item: Record<string, unknown>, event: APIGatewayProxyEventV2): MailLocale {
  return typeof item.locale === 'string' && item.locale ? mailLocale(item.locale) : browserLocale(event);
}

/** The preferences page of the subscriber an unsubscribe token stands for: the same token, another page. */
export function preferencesPath(token: string): string {
  return `/preferences/${encodeURIComponent(token)}`;
}

/** A browser's form post asks for HTML; API clients get the contract's JSON. */
export function wantsHtml(event: APIGatewayProxyEventV2): boolean {
  const accept = event.headers?.accept ?? '';
  return /text\/html/.test(accept) && !/application\/(problem\+)?json/.test(accept.split(',')[0] ?? '');
}

/** The fields of an urlencoded form body (a browser's post), or undefined for any other body. */
export function formFields(event: APIGatewayProxyEventV2): URLSearchParams | undefined {
  if (!event.body || !/^application\/x-www-form-urlencoded/i.test(event.headers?.['content-type'] ?? '')) return undefined;
  const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return new URLSearchParams(body);
}
