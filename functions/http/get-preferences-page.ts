import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { browserLocale, linkPage, linkProblemPage, noSubscription } from '#shared/http/pages.ts';
import { notFound } from '#shared/http/problem.ts';
import { mailLocale } from '#shared/i18n/locales.ts';
import { renderPreferencesPage } from '#shared/pages/subscriber-pages.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';
import { emailKeyFromToken, findSubscriber } from '#shared/store/subscription-store.ts';

/** The countries and topics worth offering: those of the newest open campaigns (one page; other countries can be typed). */
async function offered(): Promise<{ countries: string[]; topics: string[] }> {
  const { items } = await listCampaigns({ status: 'open', limit: 100 });
  return { countries: [...new Set(items.flatMap((c) => c.countries))], topics: [...new Set(items.flatMap((c) => c.topics))] };
}

/**
 * What a subscriber receives, as a form. The link is the unsubscribe link's token (sealed, so it cannot be
 * made for an address); opening it (or a mail scanner following it) changes nothing.
 */
export const handler = httpHandler(routes.getPreferencesPage, async ({ event, path }) => {
  const token = path.token ?? '';
  const emailKey = emailKeyFromToken(token);
  const subscriber = emailKey ? await findSubscriber(emailKey) : undefined;
  if (!subscriber) {
    const locale = browserLocale(event);
    return linkProblemPage(emailKey ? noSubscription() : notFound('This preferences link is not known.'), locale);
  }
  const locale = subscriber.locale ? mailLocale(subscriber.locale) : browserLocale(event);
  const { countries, topics } = await offered();
  const page = renderPreferencesPage({
    locale,
    subscriber,
    countries,
    topics,
    action: `/preferences/${encodeURIComponent(token)}`,
    unsubscribeHref: `/unsubscribe/${encodeURIComponent(token)}`,
  });
  return linkPage(locale, page.title, page.body);
});
