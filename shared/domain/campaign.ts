import slugify from '@sindresorhus/slugify';
import { z } from 'zod';
import { countryCode, isoDateTime, locale, multiLine, singleLine, topic } from './fields.ts';
import type { CampaignStatus } from './statuses.ts';

export { campaignStatuses, type CampaignStatus } from './statuses.ts';

export const campaignKinds = ['petition', 'statement', 'appeal'] as const;
export type CampaignKind = (typeof campaignKinds)[number];

export const slugSchema = z
  .string()
  .min(1)
  .max(80, 'At most 80 characters.')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Lower-case letters, digits and single hyphens only.');

const demands = z.array(singleLine(1000)).max(50);

export const translationSchema = z.strictObject({
  title: singleLine(200),
  summary: multiLine(1000),
  body: multiLine(100_000),
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
  locale: locale.default('en'),
  translations: z.record(locale, translationSchema).default({}),
  countries: z.array(countryCode).max(60).default([]),
  topics: z.array(topic).max(20).default([]),
  goal: z.number().int().positive().max(1_000_000_000).optional(),
  urgent: z.boolean().default(false),
  opensAt: isoDateTime.optional(),
  closesAt: isoDateTime.optional(),
};

export const campaignInputSchema = z
  .strictObject({ slug: slugSchema.optional(), ...editableShape })
  .refine((c) => !c.opensAt || !c.closesAt || c.opensAt < c.closesAt, { message: 'closesAt must be after opensAt.', path: ['closesAt'] });
export type CampaignInput = z.infer<typeof campaignInputSchema>;

/** PATCH: any editable field; absent means unchanged. Defaults must not fill in what the operator left out. */
export const campaignPatchSchema = z
  .strictObject(
    Object.fromEntries(
      Object.entries(editableShape).map(([key, schema]) => [key, unwrapDefault(schema).optional()]),
    ) as { [K in keyof typeof editableShape]: z.ZodOptional<z.ZodType<z.output<(typeof editableShape)[K]>>> },
  )
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
    summary: translation.summary,
    body: translation.body,
    ...(translation.letter !== undefined ? { letter: translation.letter } : {}),
    ...(translation.demands !== undefined ? { demands: translation.demands } : {}),
  };
}

export function acceptsSignatures(campaign: Campaign, at: Date): boolean {
  if (campaign.status !== 'open') return false;
  if (campaign.opensAt && new Date(campaign.opensAt) > at) return false;
  if (campaign.closesAt && new Date(campaign.closesAt) <= at) return false;
  return true;
}
