import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { config } from '#shared/config.ts';
import { preferencesFromForm, preferencesSchema, type Preferences } from '#shared/domain/preferences.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { browserLocale, formFields, linkPage, linkProblemPage, linkWords, noSubscription, preferencesPath, wantsHtml } from '#shared/http/pages.ts';
import { conflict, notFound, Problem, validationProblem } from '#shared/http/problem.ts';
import { escapeHtml, json } from '#shared/http/responses.ts';
import { mailLocale } from '#shared/i18n/locales.ts';
import { renderPreferencesSavedPage } from '#shared/pages/subscriber-pages.ts';
import { savePreferences } from '#shared/store/preferences-store.ts';
import { emailKeyFromToken, findSubscriber } from '#shared/store/subscription-store.ts';

/**
 * What the request asks to change: the page's form (urlencoded, always complete), or an API client's JSON
 * (absent fields unchanged). Anything else, or a body over the limit, is refused before anything is read.
 */
function requested(event: APIGatewayProxyEventV2): Preferences {
  const raw = event.body ?? '';
  const size = event.isBase64Encoded ? Buffer.from(raw, 'base64').length : Buffer.byteLength(raw);
  if (size > config().MAX_BODY_BYTES) throw new Problem(413, 'too-large', `The body is ${size} bytes; the limit is ${config().MAX_BODY_BYTES}.`);
  const form = formFields(event);
  let value: unknown;
  if (form) value = preferencesFromForm(form);
  else if (/^application\/json/i.test(event.headers?.['content-type'] ?? '')) {
    try {
      value = JSON.parse(event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw);
    } catch {
      throw new Problem(400, 'malformed-json', 'The body is not valid JSON.');
    }
  } else throw new Problem(415, 'unsupported-media-type', 'Send the form (application/x-www-form-urlencoded) or JSON (application/json).');
  const parsed = preferencesSchema.safeParse(value);
  if (!parsed.success) throw validationProblem(parsed.error, 'body');
  return parsed.data;
}

/**
 * Saves a subscriber's choices. The link is the unsubscribe token (sealed: it cannot be made from an
 * address), so knowing someone's address is not enough to read or change what they receive. Every refusal
 * changes nothing; a repeat writes the same values.
 */
export const handler = httpHandler(routes.updatePreferences, async ({ event, path }) => {
  const token = path.token ?? '';
  const browser = wantsHtml(event);
  let locale = browserLocale(event);
  try {
    const emailKey = emailKeyFromToken(token);
    if (!emailKey) throw notFound('This preferences link is not known.');
    if (browser) {
      // A refusal is told in the subscriber's language too.
      const current = await findSubscriber(emailKey);
      if (current?.locale) locale = mailLocale(current.locale);
    }
    const preferences = requested(event);
    const outcome = await savePreferences(emailKey, preferences);
    if (outcome === 'missing') throw noSubscription();
    if (outcome === 'unsubscribed') throw conflict('unsubscribed', 'This address is unsubscribed; subscribing again needs a fresh confirmation.');
    const subscriber = await findSubscriber(emailKey);
    if (!subscriber) throw noSubscription();
    const { urgent, digest, countries, topics } = subscriber;
    if (!browser) return json(200, { status: 'saved', preferences: { urgent, digest, countries, topics, ...(subscriber.locale ? { locale: subscriber.locale } : {}) } });
    locale = mailLocale(subscriber.locale ?? locale);
    const page = renderPreferencesSavedPage({ locale, preferencesHref: preferencesPath(token), unsubscribeHref: `/unsubscribe/${encodeURIComponent(token)}` });
    return linkPage(locale, page.title, page.body);
  } catch (error) {
    if (browser && error instanceof Problem && error.status === 400) {
      const t = linkWords(locale);
      return linkPage(locale, t.preferencesTitle, `<p>${escapeHtml(t.badForm)}</p><p><a href="${escapeHtml(preferencesPath(token))}">${escapeHtml(t.changeWhatYouReceive)}</a></p>`, 400);
    }
    if (browser && error instanceof Problem && error.status !== 413 && error.status !== 415) return linkProblemPage(error, locale);
    throw error;
  }
});
