import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { browserLocale, linkPage, linkProblemPage, preferencesPath } from '#shared/http/pages.ts';
import { notFound } from '#shared/http/problem.ts';
import { mailLocale } from '#shared/i18n/locales.ts';
import { renderUnsubscribePage } from '#shared/pages/subscriber-pages.ts';
import { emailKeyFromToken, findSubscriber } from '#shared/store/subscription-store.ts';

/**
 * A page with a button: opening the link (or a mail scanner following it) changes nothing. It speaks the
 * subscriber's language, as their mail did, and offers to change what they receive instead.
 */
export const handler = httpHandler(routes.getUnsubscribePage, async ({ event, path }) => {
  const token = path.token ?? '';
  const emailKey = emailKeyFromToken(token);
  if (!emailKey) return linkProblemPage(notFound('This unsubscribe link is not known.'), browserLocale(event));
  const subscriber = await findSubscriber(emailKey);
  const locale = subscriber?.locale ? mailLocale(subscriber.locale) : browserLocale(event);
  const page = renderUnsubscribePage({ locale, action: `/unsubscribe/${encodeURIComponent(token)}`, preferencesHref: preferencesPath(token) });
  return linkPage(locale, page.title, page.body);
});
