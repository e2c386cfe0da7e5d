import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import { campaignInputSchema, translationSchema, type CampaignInput, type Translation } from './campaign.ts';
import { countryCode, singleLine } from './fields.ts';

/**
 * Campaign documents: Markdown with YAML front matter, the form operators write statements in.
 * The front matter holds the campaign's fields (plus demo extras); the Markdown after it is the body.
 * Translations are sibling documents `<slug>.<locale>.md` with title, summary, demands, letter.
 */
const extrasSchema = z.object({
  status: z.enum(['draft', 'open', 'closed']).default('draft'),
  offset: z.number().int().min(0).optional(),
  offsetReason: singleLine(500).optional(),
  endorsements: z
    .array(
      z.strictObject({
        organisation: singleLine(300),
        country: countryCode.nullable().default(null),
        website: z.url({ protocol: /^https$/ }).optional(),
      }),
    )
    .default([]),
});

export interface CampaignDocument {
  campaign: CampaignInput;
  status: 'draft' | 'open' | 'closed';
  offset?: { offset: number; reason: string };
  endorsements: { organisation: string; country: string | null; website?: string }[];
}

export function splitFrontMatter(text: string): { data: unknown; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text.replace(/^\uFEFF/, ''));
  if (!match) throw new Error('A campaign document starts with YAML front matter between two --- lines.');
  return { data: parseYaml(match[1] ?? '') as unknown, body: (match[2] ?? '').trim() };
}

export function parseCampaignDocument(text: string): CampaignDocument {
  const { data, body } = splitFrontMatter(text);
  const { status, offset, offsetReason, endorsements, ...fields } = (data ?? {}) as Record<string, unknown>;
  const extras = extrasSchema.parse({ status, offset, offsetReason, endorsements });
  const campaign = campaignInputSchema.parse({ ...fields, body });
  if (extras.offset !== undefined && !extras.offsetReason) throw new Error('offsetReason is required with offset.');
  return {
    campaign,
    status: extras.status,
    ...(extras.offset !== undefined ? { offset: { offset: extras.offset, reason: extras.offsetReason ?? '' } } : {}),
    endorsements: extras.endorsements,
  };
}

export function parseTranslationDocument(text: string): Translation {
  const { data, body } = splitFrontMatter(text);
  // No text after the front matter: the translation has no body of its own, and readers get the campaign's.
  return translationSchema.parse({ ...(data as Record<string, unknown>), ...(body ? { body } : {}) });
}
