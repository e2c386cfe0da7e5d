import { config } from '#shared/config.ts';
import type { Campaign } from '#shared/domain/campaign.ts';
import { pageUrlFor } from '#shared/domain/campaign-page-url.ts';

/** The built-in page itself, whatever `pageUrl` or the template say: the page's canonical and `hreflang` addresses. */
export function builtInPageUrl(campaign: Pick<Campaign, 'slug' | 'locale'>, locale: string | undefined, baseUrl = config().PUBLIC_URL): string {
  return pageUrlFor({ slug: campaign.slug, locale: campaign.locale }, locale, { baseUrl });
}

/**
 * The page of a campaign for a reader in `locale` (a mail's recipient, the feed's reader), with this stage's
 * settings: the campaign's own `pageUrl`, else CAMPAIGN_PAGE_URL, else `{PUBLIC_URL}/act/{slug}`.
 */
export function campaignPageUrl(campaign: Pick<Campaign, 'slug' | 'locale' | 'pageUrl'>, locale?: string): string {
  const { PUBLIC_URL, CAMPAIGN_PAGE_URL } = config();
  return pageUrlFor(campaign, locale, { baseUrl: PUBLIC_URL, template: CAMPAIGN_PAGE_URL });
}
