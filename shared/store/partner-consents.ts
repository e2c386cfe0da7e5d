import type { PartnerConsent } from '#shared/domain/partners.ts';
import { signatureCodec } from './items.ts';
import type { Page } from './pagination.ts';
import { mergedQueryPage } from './query-pages.ts';
import { unerasedCountedSignatures } from './signature-store.ts';

/**
 * A partner organisation's supporters: the campaign's confirmed (counted) signatures whose `partnerConsents`
 * names the partner. The consent lives on the signature item and nowhere else, so erasing or anonymising the
 * signature takes the consent with it, and this reads the very index the full export reads, with one more
 * filter: a partner's export costs the reads of the whole campaign's, and no write at signing.
 */
export interface PartnerSupporter {
  name: string;
  email: string;
  country: string;
  locale: string;
  signedAt: string;
  confirmedAt: string;
  consent: PartnerConsent;
}

/**
 * Oldest first (merged across the campaign's shards), `limit` at a time from `cursor`, like the full export. A
 * consent that is not well formed (no text, say) is no consent: that signer is left out rather than exported.
 */
export async function partnerSupporterPage(campaign: string, partner: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<PartnerSupporter>> {
  const queries = unerasedCountedSignatures(campaign).map((query) => ({
    ...query,
    FilterExpression: `(${query.FilterExpression}) AND attribute_exists(partnerConsents.#partner)`,
    ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#partner': partner },
  }));
  const { items, nextCursor } = await mergedQueryPage(queries, {
    // A cursor belongs to one partner's list: it cannot carry on another's.
    scope: `partner-export:${campaign}:${partner}`,
    limit: page.limit,
    cursor: page.cursor,
    sortKey: 'gsi2sk',
    ascending: true,
    map: (item): PartnerSupporter | undefined => {
      const s = signatureCodec.decode(item);
      const consent = s.partnerConsents?.[partner];
      return consent && { name: s.name, email: s.email, country: s.country, locale: s.locale, signedAt: s.requestedAt || s.confirmedAt, confirmedAt: s.confirmedAt, consent };
    },
  });
  return { items: items.filter((item): item is PartnerSupporter => item !== undefined), nextCursor };
}
