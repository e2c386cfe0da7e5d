import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { browserLocale, linkPage, linkProblemPage, preferencesPath, wantsHtml } from '#shared/http/pages.ts';
import { notFound } from '#shared/http/problem.ts';
import { json } from '#shared/http/responses.ts';
import { mailLocale } from '#shared/i18n/locales.ts';
import { renderUnsubscribedPage } from '#shared/pages/subscriber-pages.ts';
import { emailKeyFromToken, findSubscriber, unsubscribe } from '#shared/store/subscription-store.ts';

/**
 * RFC 8058 one-click: mailbox providers POST `List-Unsubscribe=One-Click` here; a browser posts the page's
 * form. Either way it takes effect at once and repeats are harmless. Only a browser's post reads the
 * subscriber afterwards, for the language of its page.
 */
export const handler = httpHandler(routes.unsubscribe, async ({ event, path }) => {
  const token = path.token ?? '';
  const emailKey = emailKeyFromToken(token);
  if (!emailKey) {
    const problem = notFound('This unsubscribe link is not known.');
    if (wantsHtml(event)) return linkProblemPage(problem, browserLocale(event));
    throw problem;
  }
  await unsubscribe(emailKey);
  if (!wantsHtml(event)) return json(200, { status: 'unsubscribed' });
  const subscriber = await findSubscriber(emailKey);
  const locale = subscriber?.locale ? mailLocale(subscriber.locale) : browserLocale(event);
  const page = renderUnsubscribedPage({ locale, preferencesHref: preferencesPath(token) });
  return linkPage(locale, page.title, page.body);
});
