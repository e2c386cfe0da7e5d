import type { Campaign } from '#shared/domain/campaign.ts';

/**
 * Every locale the campaign can be read in: its own first, then its translations. Apart from the page so that
 * the form's answer (form-answer-page.ts) negotiates its language without the page's Markdown renderer.
 */
export function campaignLocales(campaign: Campaign): string[] {
  return [campaign.locale, ...Object.keys(campaign.translations).filter((l) => l !== campaign.locale)];
}
