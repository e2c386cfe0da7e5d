import { escapeHtml } from '#shared/http/responses.ts';
import { mailLocale } from '#shared/i18n/locales.ts';
import { campaignPageStrings } from '#shared/i18n/strings/campaign-page.ts';
import { frontPageUrl } from './front-page.ts';
import { renderPage } from './layout.ts';

/** A campaign page that does not exist (or is a draft): a person followed a link, so a page, with a way on. */
export function notFoundPage(locale: string, baseUrl: string): string {
  const t = campaignPageStrings[mailLocale(locale)];
  return renderPage({
    locale,
    title: t.notFoundTitle,
    body: `<h1>${escapeHtml(t.notFoundTitle)}</h1><p>${escapeHtml(t.notFound)}</p><p><a href="${escapeHtml(frontPageUrl(baseUrl, locale))}">${escapeHtml(t.toFrontPage)}</a></p>`,
  });
}
