import { escapeHtml } from '#shared/http/responses.ts';
import { intlLocale, mailLocale, mailLocales, type MailLocale } from '#shared/i18n/locales.ts';
import { linkPageStrings } from '#shared/i18n/strings/link-pages.ts';
import type { PageContent } from './confirm-pages.ts';

/**
 * The pages behind the link every bulk mail carries (its unsubscribe token): unsubscribe, and what the
 * subscriber receives. Pure: the handlers read the subscriber, these write the page in their language.
 */

export interface SubscriberChoices {
  status: string;
  urgent: boolean;
  digest: 'weekly' | 'none';
  countries: readonly string[];
  topics: readonly string[];
  locale?: string | undefined;
}

const link = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;

/** The unsubscribe page: one button (the same one-click post mail clients make), and the gentler way out. */
export function renderUnsubscribePage(input: { locale: string; action: string; preferencesHref: string }): PageContent {
  const t = linkPageStrings[mailLocale(input.locale)];
  return {
    title: t.unsubscribeTitle,
    body: `<p>${escapeHtml(t.unsubscribeIntro)}</p>
<form method="post" action="${escapeHtml(input.action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(t.unsubscribeButton)}</button></form>
<p>${escapeHtml(t.ratherChange)} ${link(input.preferencesHref, t.changeWhatYouReceive)}</p>`,
  };
}

export function renderUnsubscribedPage(input: { locale: string; preferencesHref: string }): PageContent {
  const t = linkPageStrings[mailLocale(input.locale)];
  return { title: t.unsubscribedTitle, body: `<p>${escapeHtml(t.unsubscribed)}</p><p>${link(input.preferencesHref, t.changeWhatYouReceive)}</p>` };
}

function checkbox(name: string, value: string, label: string, checked: boolean, id: string): string {
  return `<li><input type="checkbox" id="${escapeHtml(id)}" name="${escapeHtml(name)}" value="${escapeHtml(value)}"${checked ? ' checked' : ''}> <label for="${escapeHtml(id)}">${escapeHtml(label)}</label></li>`;
}

const choiceList = (items: string[]) => `<ul style="list-style:none;padding:0;margin:0">${items.join('')}</ul>`;

export interface PreferencesPageInput {
  locale: string;
  subscriber: SubscriberChoices;
  /** Countries and topics to offer (the open campaigns'); the subscriber's own are always offered. */
  countries: readonly string[];
  topics: readonly string[];
  action: string;
  unsubscribeHref: string;
}

/**
 * The preferences form. Unticked boxes mean "off"; no country (or topic) ticked means all of them, as when
 * subscribing. An unsubscribed address gets no form: coming back needs a fresh confirmation.
 */
export function renderPreferencesPage(input: PreferencesPageInput): PageContent {
  const locale: MailLocale = mailLocale(input.locale);
  const t = linkPageStrings[locale];
  const { subscriber } = input;
  if (subscriber.status === 'unsubscribed') return { title: t.preferencesTitle, body: `<p>${escapeHtml(t.preferencesUnsubscribed)}</p>` };
  const regions = new Intl.DisplayNames([intlLocale(locale)], { type: 'region' });
  const languages = new Intl.DisplayNames([intlLocale(locale)], { type: 'language' });
  const collator = new Intl.Collator(intlLocale(locale));
  const countries = [...new Set([...input.countries, ...subscriber.countries])]
    .map((code) => ({ code, name: regions.of(code) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name));
  const topics = [...new Set([...input.topics, ...subscriber.topics])].sort();
  const current = mailLocale(subscriber.locale);
  const pending = subscriber.status === 'confirmed' ? '' : `<p class="muted">${escapeHtml(t.preferencesPending)}</p>`;
  const languageOptions = mailLocales
    .map((code) => {
      // Each language named in itself, so a reader finds their own whatever the page's language.
      const name = new Intl.DisplayNames([intlLocale(code)], { type: 'language' }).of(code) ?? languages.of(code) ?? code;
      return `<option value="${code}" lang="${code}"${code === current ? ' selected' : ''}>${escapeHtml(name)}</option>`;
    })
    .join('');
  const countryBoxes = countries.map(({ code, name }) => checkbox('country', code, name, subscriber.countries.includes(code), `country-${code}`));
  const topicBoxes = topics.map((topic) => checkbox('topic', topic, topic, subscriber.topics.includes(topic), `topic-${topic}`));
  return {
    title: t.preferencesTitle,
    body: `<p>${escapeHtml(t.preferencesIntro)}</p>${pending}
<form method="post" action="${escapeHtml(input.action)}">
<fieldset><legend>${escapeHtml(t.preferencesTitle)}</legend>${choiceList([
      checkbox('urgent', 'on', t.urgentCallsChoice, subscriber.urgent, 'urgent'),
      checkbox('digest', 'on', t.weeklyDigestChoice, subscriber.digest !== 'none', 'digest'),
    ])}</fieldset>
<fieldset><legend>${escapeHtml(t.countriesLegend)}</legend><p class="muted">${escapeHtml(t.noneMeansAll)}</p>${countryBoxes.length ? choiceList(countryBoxes) : ''}
<p><label for="other-countries">${escapeHtml(t.otherCountries)}</label><br><input type="text" id="other-countries" name="otherCountries" dir="ltr" autocomplete="off" aria-describedby="other-countries-hint" size="20"><br><span id="other-countries-hint" class="muted">${escapeHtml(t.otherCountriesHint)}</span></p></fieldset>
${topicBoxes.length ? `<fieldset><legend>${escapeHtml(t.topicsLegend)}</legend><p class="muted">${escapeHtml(t.noneMeansAll)}</p>${choiceList(topicBoxes)}</fieldset>` : ''}
<p><label for="locale">${escapeHtml(t.languageLabel)}</label> <select id="locale" name="locale">${languageOptions}</select></p>
<p><button type="submit">${escapeHtml(t.saveButton)}</button></p>
</form>
<p>${link(input.unsubscribeHref, t.unsubscribeInstead)}</p>`,
  };
}

/** After saving: said in the language just chosen, with the way back to the form. */
export function renderPreferencesSavedPage(input: { locale: string; preferencesHref: string; unsubscribeHref: string }): PageContent {
  const t = linkPageStrings[mailLocale(input.locale)];
  return {
    title: t.savedTitle,
    body: `<p>${escapeHtml(t.saved)}</p><p>${link(input.preferencesHref, t.changeWhatYouReceive)}</p><p>${link(input.unsubscribeHref, t.unsubscribeInstead)}</p>`,
  };
}
