import type { Campaign } from './campaign.ts';

/**
 * Where a person reads a campaign and acts on it: every "read / take part" link (mails, the Atom feed's
 * `alternate`, the front page) is made here and nowhere else. In order: the campaign's own page on its
 * organisation's site (`pageUrl`), the stage's template (CAMPAIGN_PAGE_URL, e.g.
 * `https://example.org/{locale}/act/{slug}`), or the page this deployment serves itself, `{PUBLIC_URL}/act/{slug}`.
 * A pure function of the campaign and the settings; shared/pages/campaign-page-url.ts reads the settings.
 */

export interface PageUrlSettings {
  /** PUBLIC_URL. */
  baseUrl: string;
  /** CAMPAIGN_PAGE_URL: `{slug}` and `{locale}` are replaced. */
  template?: string | undefined;
}

export function pageUrlFor(campaign: Pick<Campaign, 'slug' | 'locale' | 'pageUrl'>, locale: string | undefined, settings: PageUrlSettings): string {
  if (campaign.pageUrl) return campaign.pageUrl;
  const slug = encodeURIComponent(campaign.slug);
  if (settings.template) {
    return settings.template.replaceAll('{slug}', slug).replaceAll('{locale}', encodeURIComponent(locale ?? campaign.locale));
  }
  const base = `${settings.baseUrl.replace(/\/+$/, '')}/act/${slug}`;
  // The campaign's own language is the page's default: its address stays the plain one, the canonical.
  return locale && locale !== campaign.locale ? `${base}?locale=${encodeURIComponent(locale)}` : base;
}
