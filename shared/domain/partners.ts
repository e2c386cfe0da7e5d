import * as z from 'zod';
import { mailLocale, mailLocales } from '#shared/i18n/locales.ts';
import { partnerOptInDefaults } from '#shared/i18n/strings/partners.ts';
import { locale, organisationName, singleLine } from './fields.ts';

/**
 * Partner organisations of a campaign (the organisations that co-sign it), and the consent a signer gives each
 * of them. The invariants:
 *
 * - A consent is opt-in: one unticked box per partner, nothing implied by signing.
 * - What is stored is the exact text the person saw (`optInText`, the same function for the page, the form's
 *   handler and the API the widget reads), in the language it was shown in, with the time it was given.
 * - A consent takes effect only with the signature it came with, when that request's link is clicked from the
 *   person's mailbox: it lives on the signature item, so whatever replaces, confirms or erases the signature
 *   does the same to it, and nothing else holds a copy.
 */

/** Short, lower case, safe in a URL, a key and a map attribute's name: `amnesty-ma`. */
export const partnerIdPattern = /^[a-z0-9][a-z0-9-]{0,39}$/;

export const partnerId = z
  .string()
  .regex(partnerIdPattern, 'A partner id is 1 to 40 lower-case letters, digits and hyphens, starting with a letter or digit, such as amnesty-ma.');

/**
 * At most ten: each is a box a person reads before signing (a form with more is one nobody reads, and a
 * consent nobody read is no consent), and each consent given is a text of up to 300 characters on the
 * signature item, which DynamoDB holds to 400 KB with everything else the signer wrote.
 */
export const maxPartners = 10;

/**
 * Languages a partner's own opt-in texts may be given in (a campaign's own and its translations): ten partners
 * with ten texts of 300 characters stay a small part of the campaign item's 400 KB. Every partner is sent in the
 * one request that sets `partners`, which the API holds to 16 KiB (`MAX_BODY_BYTES`): a 413 says so.
 */
const maxOptInTexts = 10;

export const partnerSchema = z.strictObject({
  id: partnerId,
  name: organisationName(200),
  website: z
    .url({ protocol: /^https$/, hostname: z.regexes.domain, error: 'An https address, such as https://example.org.' })
    .max(2000)
    .optional(),
  // The box's text per language, where the default ("Keep me informed by {name}") will not do.
  optIn: z
    .record(locale, singleLine(300))
    .refine((texts) => Object.keys(texts).length <= maxOptInTexts, `At most ${maxOptInTexts} languages.`)
    .optional(),
});
export type Partner = z.infer<typeof partnerSchema>;

export const partnersSchema = z
  .array(partnerSchema)
  .max(maxPartners, `At most ${maxPartners} partners: each is a box every signer reads.`)
  .superRefine((partners, ctx) => {
    const seen = new Set<string>();
    partners.forEach((partner, i) => {
      if (seen.has(partner.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${partner.id}" is already a partner of this campaign.` });
      seen.add(partner.id);
    });
  });

/** What a signer sends: the partners they opted in to, by id. A repeated id is the same box: it counts once. */
export const partnerChoicesSchema = z
  .array(partnerId)
  .max(maxPartners, `At most ${maxPartners} partners.`)
  .transform((ids) => [...new Set(ids)]);

/** A consent, as stored on the signature under the partner's id. */
export interface PartnerConsent {
  /** When it was given (the request that carried it), ISO 8601. */
  at: string;
  /** The exact text the person saw beside the box. */
  text: string;
  /** The language it was shown in. */
  locale: string;
}
export type PartnerConsents = Record<string, PartnerConsent>;

type WithPartners = { partners?: Partner[] | undefined };

export const partnersOf = (campaign: WithPartners): Partner[] => campaign.partners ?? [];

export const findPartner = (campaign: WithPartners, id: string): Partner | undefined => partnersOf(campaign).find((p) => p.id === id);

/** The text beside a partner's box in `shownIn`: the campaign's own for that language (or its base language), else the default. */
export function optInText(partner: Partner, shownIn: string): string {
  const own = partner.optIn ?? {};
  return own[shownIn] ?? own[shownIn.split('-')[0] ?? ''] ?? partnerOptInDefaults[mailLocale(shownIn)](partner.name);
}

/** A partner as the public API shows it: its opt-in text in every language the widget speaks, and in any the campaign gave. */
export interface PublicPartner {
  id: string;
  name: string;
  website?: string;
  optIn: Record<string, string>;
}

export function publicPartner(partner: Partner): PublicPartner {
  const texts = Object.fromEntries(mailLocales.map((l) => [l, optInText(partner, l)]));
  return { id: partner.id, name: partner.name, ...(partner.website ? { website: partner.website } : {}), optIn: { ...texts, ...partner.optIn } };
}

/** The ids a request names that are not partners of the campaign. */
export function unknownPartners(campaign: WithPartners, chosen: readonly string[] | undefined): string[] {
  return (chosen ?? []).filter((id) => !findPartner(campaign, id));
}

/** The consents a request gives, each with the text it was shown with; none when it ticked no box. */
export function consentsGiven(campaign: WithPartners, chosen: readonly string[] | undefined, shownIn: string, at: string): PartnerConsents | undefined {
  const given = partnersOf(campaign).filter((p) => chosen?.includes(p.id));
  if (!given.length) return undefined;
  return Object.fromEntries(given.map((p) => [p.id, { at, text: optInText(p, shownIn), locale: shownIn }]));
}
