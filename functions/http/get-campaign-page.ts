import { statsSection } from '#shared/charts/stats-section.ts';
import { acceptsSignatures, signersOf } from '#shared/domain/campaign.ts';
import { now } from '#shared/clock.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { mailLocales } from '#shared/i18n/locales.ts';
import { campaignLocales } from '#shared/pages/campaign-locales.ts';
import { renderCampaignPage } from '#shared/pages/campaign-page.ts';
import { notFoundPage } from '#shared/pages/not-found-page.ts';
import { acceptLanguageOf, negotiateLocale } from '#shared/pages/page-locale.ts';
import { pageSettings } from '#shared/pages/page-settings.ts';
import { publicHtml } from '#shared/pages/public-html.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { listApprovedEndorsements } from '#shared/store/endorsement-store.ts';
import { getStats } from '#shared/store/stats-store.ts';

/** Organisations per page of a statement's list: a long list stays a light page. */
const organisationsPerPage = 50;

/**
 * GET /act/{slug}: the campaign's public page, in the reader's language. Unknown and draft campaigns are a
 * 404 page (a person followed a link): the same page for both, so a draft's slug is not revealed.
 */
export const handler = httpHandler(routes.getCampaignPage, async ({ event, path, query }) => {
  const settings = pageSettings();
  const acceptLanguage = acceptLanguageOf(event.headers);
  const campaign = await findCampaign(path.slug ?? '');
  if (!campaign || campaign.status === 'draft') {
    const locale = negotiateLocale({ query: query.locale, acceptLanguage }, mailLocales, 'en');
    return publicHtml(404, notFoundPage(locale, settings.baseUrl), { policy: settings.policy, language: locale });
  }
  const locale = negotiateLocale({ query: query.locale, acceptLanguage }, campaignLocales(campaign), campaign.locale, mailLocales);
  const [counts, endorsements, stats] = await Promise.all([
    getCounts(campaign.slug, campaign.goal),
    signersOf(campaign) !== 'people' ? listApprovedEndorsements(campaign.slug, { limit: organisationsPerPage, cursor: query.orgs }) : undefined,
    // Signatures over time and the top countries, as pictures: for campaigns people sign.
    signersOf(campaign) !== 'organisations' ? getStats(campaign, 'day') : undefined,
  ]);
  const body = renderCampaignPage({
    campaign,
    locale,
    counts,
    signable: acceptsSignatures(campaign, now()),
    baseUrl: settings.baseUrl,
    endorsements: endorsements && { ...endorsements, cursor: query.orgs },
    widget: settings.widget,
    chart: stats && statsSection(stats, locale),
  });
  return publicHtml(200, body, { policy: settings.policy, language: locale });
});
