import { config } from '#shared/config.ts';
import type { Campaign } from '#shared/domain/campaign.ts';
import { campaignStatus } from '#shared/domain/statuses.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { mailLocales } from '#shared/i18n/locales.ts';
import { frontPageUrl, renderFrontPage, type FrontPageSection } from '#shared/pages/front-page.ts';
import { acceptLanguageOf, negotiateLocale } from '#shared/pages/page-locale.ts';
import { pageSettings } from '#shared/pages/page-settings.ts';
import { publicHtml } from '#shared/pages/public-html.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';

/** Campaigns per section and page. */
const pageSize = 20;

/**
 * GET /: the open campaigns with their counters, newest first, a page at a time (`?open=`); once they are
 * all shown, the closed ones (`?closed=` pages through them alone).
 */
export const handler = httpHandler(routes.getFrontPage, async ({ event, query }) => {
  const settings = pageSettings();
  const locale = negotiateLocale({ query: query.locale, acceptLanguage: acceptLanguageOf(event.headers) }, mailLocales, 'en');
  const next = (section: 'open' | 'closed', cursor: string | null) => {
    if (!cursor) return undefined;
    const url = new URL(frontPageUrl(settings.baseUrl, query.locale));
    url.searchParams.set(section, cursor);
    return url.toString();
  };
  const section = async (status: 'open' | 'closed', cursor: string | undefined): Promise<FrontPageSection> => {
    const page = await listCampaigns({ status: campaignStatus[status], limit: pageSize, cursor });
    const campaigns = await Promise.all(page.items.map(async (campaign: Campaign) => ({ campaign, counts: await getCounts(campaign.slug, campaign.goal) })));
    return { campaigns, nextUrl: next(status, page.nextCursor) };
  };
  const open = query.closed === undefined ? await section('open', query.open) : undefined;
  const closedPage = query.closed !== undefined || !open?.nextUrl ? await section('closed', query.closed) : undefined;
  // No heading over nothing: the closed section shows only when there are closed campaigns.
  const closed = closedPage && (closedPage.campaigns.length > 0 || query.closed !== undefined) ? closedPage : undefined;
  return publicHtml(200, renderFrontPage({ locale, baseUrl: settings.baseUrl, pageUrlTemplate: config().CAMPAIGN_PAGE_URL, open, closed }), { policy: settings.policy, language: locale });
});
