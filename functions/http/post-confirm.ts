import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { localise } from '#shared/domain/campaign.ts';
import { confirm, describeRequest, type PendingRequest } from '#shared/use-cases/confirmation.ts';
import { preferencesTokenFor, signerIsSubscribed, subscribeSigner } from '#shared/use-cases/link-subscription.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { browserLocale, formFields, linkPage, linkProblemPage, preferencesPath, requestLocale, wantsHtml } from '#shared/http/pages.ts';
import { problemFor } from '#shared/http/problem.ts';
import { json, type HttpResult } from '#shared/http/responses.ts';
import type { MailLocale } from '#shared/i18n/locales.ts';
import { campaignPageUrl } from '#shared/pages/campaign-page-url.ts';
import { renderEndorsedPage, renderErasedPage, renderSignedPage, renderSubscribedPage, type PageContent } from '#shared/pages/confirm-pages.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';

/**
 * The request the confirm page showed, from its form (`request=…`, urlencoded). API clients send no body and
 * confirm the request as it stands.
 */
function shownRequest(fields: URLSearchParams | undefined): string | undefined {
  const value = fields?.get('request') ?? null;
  // A value that cannot be a request id pins the click to no request at all: it confirms nothing.
  return value === null ? undefined : /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : '-';
}

/** The request behind a link before the click: its locale and campaign name the pages (an erasure leaves none after). */
async function requestBefore(token: string): Promise<PendingRequest | undefined> {
  try {
    return await describeRequest(token);
  } catch (error) {
    if (problemFor(error)) return undefined; // confirm() answers the same problem, told as a page
    throw error;
  }
}

/** What the person sees after a click, by what it confirmed. */
async function pageAfter(token: string, request: PendingRequest, locale: MailLocale): Promise<PageContent> {
  const { item } = request;
  if (request.action === 'erasure') return renderErasedPage({ locale });
  if (request.action === 'subscription') {
    const preferencesToken = preferencesTokenFor(item);
    return renderSubscribedPage({ locale, preferencesHref: preferencesToken ? preferencesPath(preferencesToken) : undefined });
  }
  const slug = typeof item.campaign === 'string' ? item.campaign : '';
  const campaign = slug ? await findCampaign(slug) : undefined;
  const shown = campaign ? localise(campaign, locale) : undefined;
  const title = shown?.title ?? slug;
  const campaignUrl = campaign ? campaignPageUrl(campaign, locale) : '/';
  const shareUrl = campaign ? campaignPageUrl(campaign) : '/';
  if (request.action === 'endorsement') return renderEndorsedPage({ locale, campaignTitle: title, campaignUrl, shareUrl });
  const counts = campaign ? await getCounts(slug, campaign.goal).catch(() => undefined) : undefined;
  const offer = item.subscribe !== true && !(await signerIsSubscribed(token).catch(() => true));
  return renderSignedPage({
    locale,
    campaignTitle: title,
    total: counts?.total,
    goal: counts?.goal,
    campaignUrl,
    shareUrl,
    subscribeAction: offer ? `/confirm/${encodeURIComponent(token)}` : undefined,
  });
}

/** A browser's click: the page after it, or the problem as a page, in the request's language. */
async function browserClick(event: APIGatewayProxyEventV2, token: string, fields: URLSearchParams | undefined): Promise<HttpResult> {
  let locale = browserLocale(event);
  try {
    // The thanks page's offer: subscribe the signer whose signature this link confirmed.
    if (fields?.get('also') === 'subscribe') {
      const subscribed = await subscribeSigner(token);
      locale = subscribed.locale;
      const page = renderSubscribedPage({ locale, preferencesHref: preferencesPath(subscribed.preferencesToken) });
      return linkPage(locale, page.title, page.body);
    }
    const request = await requestBefore(token);
    if (request) locale = requestLocale(request.item, event);
    const { kind } = await confirm(token, shownRequest(fields));
    // Without the request read before (an erasure finished meanwhile), the page says what the click confirmed.
    const page = await pageAfter(token, request ?? { action: kind, confirmed: true, requestId: undefined, item: {} }, locale);
    return linkPage(locale, page.title, page.body);
  } catch (error) {
    const problem = problemFor(error);
    if (problem) return linkProblemPage(problem, locale);
    throw error;
  }
}

export const handler = httpHandler(routes.confirm, async ({ event, path }) => {
  const token = path.token ?? '';
  const fields = formFields(event);
  if (!wantsHtml(event)) return json(200, await confirm(token, shownRequest(fields)));
  return browserClick(event, token, fields);
});
