import { localise, type Campaign } from '#shared/domain/campaign.ts';
import { escapeHtml } from '#shared/http/responses.ts';
import { mailLocale } from '#shared/i18n/locales.ts';
import { campaignPageStrings } from '#shared/i18n/strings/campaign-page.ts';
import { builtInPageUrl } from './campaign-page-url.ts';
import { renderPage } from './layout.ts';
import { renderShareLinks } from './share-links.ts';

/*
 * Apart from the campaign's page (campaign-page.ts): the answer shows none of the campaign's Markdown, so the
 * function that signs by form carries no Markdown renderer.
 */

const e = escapeHtml;

/** The page a browser gets after posting the form: check the mailbox, with the campaign named. */
export function renderFormAnswer(campaign: Campaign, locale: string, baseUrl: string, outcome: { ok: true } | { ok: false; messages: string[] }): string {
  const shown = localise(campaign, locale);
  const t = campaignPageStrings[mailLocale(locale)];
  const url = builtInPageUrl(campaign, locale, baseUrl);
  const back = `<p><a href="${e(url)}">${e(t.backToCampaign)}</a></p>`;
  if (outcome.ok) {
    return renderPage({
      locale,
      title: t.checkInboxTitle,
      body: `<h1>${e(t.checkInboxTitle)}</h1><p>${e(t.checkInbox(shown.title))}</p>${renderShareLinks({ url, title: shown.title, locale })}${back}`,
    });
  }
  return renderPage({
    locale,
    title: t.formProblemTitle,
    body: `<h1>${e(t.formProblemTitle)}</h1><ul>${outcome.messages.map((m) => `<li>${e(m)}</li>`).join('')}</ul>${back}`,
  });
}
