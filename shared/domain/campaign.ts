import slugify from '@sindresorhus/slugify';
import * as z from 'zod';
import { countryCode, isoDateTime, locale, multiLine, singleLine, topic } from './fields.ts';
import { partnersSchema } from './partners.ts';
import type { CampaignStatus } from './statuses.ts';

export { campaignStatuses, type CampaignStatus } from './statuses.ts';

export const campaignKinds = ['petition', 'statement', 'appeal'] as const;
export type CampaignKind = (typeof campaignKinds)[number];

export const campaignSigners = ['people', 'organisations', 'both'] as const;
export type CampaignSigners = (typeof campaignSigners)[number];

export const slugSchema = z
  .string()
  .min(1)
  .max(80, 'At most 80 characters.')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Lower-case letters, digits and single hyphens only.');

const demands = z.array(singleLine(1000)).max(50);

/**
 * A translation follows the campaign's own rules: only the title is required. A field it leaves out is read
 * from the campaign in its own language (`localise`), as `letter` and `demands` always were.
 */
export const translationSchema = z.strictObject({
  title: singleLine(200),
  summary: multiLine(1000).optional(),
  body: multiLine(100_000).optional(),
  target: singleLine(300).optional(),
  letter: multiLine(20_000).optional(),
  demands: demands.optional(),
});

/** What an operator may set. The server owns slug (once created), status and timestamps. */
const editableShape = {
  kind: z.enum(campaignKinds),
  title: singleLine(200),
  summary: multiLine(1000).default(''),
  body: multiLine(100_000).default(''),
  target: singleLine(300).optional(),
  letter: multiLine(20_000).optional(),
  demands: demands.default([]),
  issuedBy: singleLine(300).optional(),
  // Who puts their name to it: people (signatures), organisations (endorsements) or both. Unset, by kind (`signersOf`).
  signers: z.enum(campaignSigners).optional(),
  // The campaign's own page on its organisation's site: where mails and the feed send readers (https only).
  pageUrl: z
    .url({ protocol: /^https$/, hostname: z.regexes.domain, error: 'An https address, such as https://example.org/act.' })
    .max(2000)
    .refine((url) => !URL.parse(url)?.username && !URL.parse(url)?.password, 'No user name or password in the address.')
    .optional(),
  locale: locale.default('en'),
  translations: z.record(locale, translationSchema).default({}),
  countries: z.array(countryCode).max(60).default([]),
  topics: z.array(topic).max(20).default([]),
  goal: z.number().int().positive().max(1_000_000_000).optional(),
  urgent: z.boolean().default(false),
  // The signing form's consent text tells every signer that their name goes to the target, public or not: only
  // then may the delivery document list all names (`?names=all`). Absent means no.
  deliverAllNames: z.boolean().optional(),
  // The organisations that co-sign it, each offered to signers as an opt-in of its own (partners.ts).
  partners: partnersSchema.optional(),
  opensAt: isoDateTime.optional(),
  closesAt: isoDateTime.optional(),
};

export const campaignInputSchema = z
  .strictObject({ slug: slugSchema.optional(), ...editableShape })
  .refine((c) => !c.opensAt || !c.closesAt || c.opensAt < c.closesAt, { message: 'closesAt must be after opensAt.', path: ['closesAt'] });
export type CampaignInput = z.infer<typeof campaignInputSchema>;

const { translations: _translations, ...patchableShape } = editableShape;

/** PATCH: any editable field; absent means unchanged. Defaults must not fill in what the operator left out. */
export const campaignPatchSchema = z
  .strictObject({
    ...(Object.fromEntries(
      Object.entries(patchableShape).map(([key, schema]) => [key, unwrapDefault(schema).optional()]),
    ) as { [K in keyof typeof patchableShape]: z.ZodOptional<z.ZodType<z.output<(typeof patchableShape)[K]>>> }),
    // Translations merge per locale; a locale set to null removes its translation (as in a JSON merge patch, RFC 7396).
    translations: z.record(locale, translationSchema.nullable()).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change.')
  .refine((p) => !p.opensAt || !p.closesAt || p.opensAt < p.closesAt, { message: 'closesAt must be after opensAt.', path: ['closesAt'] });
export type CampaignPatch = z.infer<typeof campaignPatchSchema>;

function unwrapDefault(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
}

export type Translation = z.infer<typeof translationSchema>;

export interface Campaign extends Omit<CampaignInput, 'slug'> {
  slug: string;
  status: CampaignStatus;
  /** When it first opened (absent for campaigns loaded already open: their opensAt or createdAt says it). */
  publishedAt?: string;
  closedAt?: string;
  /** Set once the personal data of its signers was anonymised (closed longer than the retention period). */
  anonymisedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface Counts {
  signatures: number;
  offset: number;
  total: number;
  endorsements: number;
  goal: number | null;
  byCountry: Record<string, number>;
}

/** Slugs are ASCII so they survive every URL and mail client; non-Latin titles are transliterated. */
export function slugFromTitle(title: string): string {
  const slug = slugify(title, { decamelize: false }).slice(0, 80).replace(/-+$/, '');
  return slug || 'campaign';
}

/** The campaign as a reader in `requested` locale sees it: translated fields where they exist. */
export function localise(campaign: Campaign, requested: string | undefined): Campaign {
  if (!requested || requested === campaign.locale) return campaign;
  const translation = campaign.translations[requested] ?? campaign.translations[requested.split('-')[0] ?? ''];
  if (!translation) return campaign;
  return {
    ...campaign,
    locale: requested,
    title: translation.title,
    summary: translation.summary ?? campaign.summary,
    body: translation.body ?? campaign.body,
    ...(translation.target !== undefined ? { target: translation.target } : {}),
    ...(translation.letter !== undefined ? { letter: translation.letter } : {}),
    ...(translation.demands !== undefined ? { demands: translation.demands } : {}),
  };
}

/** Statements gather organisations beside people unless they say otherwise; petitions and appeals gather people. */
export function signersOf(campaign: Pick<Campaign, 'kind' | 'signers'>): CampaignSigners {
  return campaign.signers ?? (campaign.kind === 'statement' ? 'both' : 'people');
}

/**
 * Whether the API takes people's signatures: refused only where the operator said organisations alone sign.
 * The kind's default (`signersOf`) shapes what pages and the widget offer, never what the API refuses: the
 * contract takes both on every campaign that does not say otherwise.
 */
export const takesSignatures = (campaign: Pick<Campaign, 'kind' | 'signers'>): boolean => campaign.signers !== 'organisations';

/** Whether the API takes endorsements: refused only where the operator said people alone sign. */
export const takesEndorsements = (campaign: Pick<Campaign, 'kind' | 'signers'>): boolean => campaign.signers !== 'people';

export function acceptsSignatures(campaign: Campaign, at: Date): boolean {
  if (campaign.status !== 'open') return false;
  if (campaign.opensAt && new Date(campaign.opensAt) > at) return false;
  if (campaign.closesAt && new Date(campaign.closesAt) <= at) return false;
  return true;
}
