import { z } from 'zod';
import { campaignKinds, campaignStatuses } from '#shared/domain/campaign.ts';
import { endorsementStatuses } from '#shared/domain/endorsement.ts';

/**
 * What the API answers, as zod schemas: the OpenAPI document's response schemas are generated from these,
 * as its request schemas are generated from the schemas that validate requests. They describe; nothing
 * parses responses with them at run time (test/unit/http/openapi.test.ts checks them against the domain
 * types and the view functions). Objects are open (`z.object`): the contract only ever adds fields.
 */

const count = z.number().int().min(0);
const isoTime = z.iso.datetime({ offset: true }).describe('ISO 8601, UTC.');
const country = z.string().regex(/^[A-Z]{2}$/).describe('ISO 3166-1 alpha-2.');
const locale = z.string().max(35).describe('BCP 47 language tag.');

export const problemSchema = z
  .object({
    type: z.url(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Only for validation problems: one entry per invalid field.'),
  })
  .describe('RFC 9457 problem details.');

export const countsSchema = z.object({
  signatures: count.describe('Confirmed signatures.'),
  offset: count.describe('Signatures counted elsewhere (paper forms), set by an operator.'),
  total: count.describe('signatures + offset.'),
  endorsements: count.describe('Approved endorsements.'),
  goal: z.number().int().positive().nullable(),
  byCountry: z.record(z.string(), count).describe('Confirmed signatures per ISO 3166-1 alpha-2 country code.'),
});

const translationSchema = z.object({
  title: z.string(),
  summary: z.string(),
  body: z.string(),
  letter: z.string().optional(),
  demands: z.array(z.string()).optional(),
});

const campaignFields = {
  slug: z.string(),
  kind: z.enum(campaignKinds),
  title: z.string(),
  summary: z.string(),
  locale,
  countries: z.array(country),
  topics: z.array(z.string()),
  urgent: z.boolean(),
  status: z.enum(campaignStatuses),
  goal: z.number().int().positive().optional(),
  opensAt: isoTime.optional(),
  closesAt: isoTime.optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
};

export const campaignSummarySchema = z.object(campaignFields).describe('A campaign in a list: without its long texts.');

export const campaignSchema = z
  .object({
    ...campaignFields,
    body: z.string().describe('Markdown.'),
    target: z.string().optional(),
    letter: z.string().optional(),
    demands: z.array(z.string()),
    issuedBy: z.string().optional(),
    publishedAt: isoTime.optional().describe('When it first opened (absent for campaigns loaded already open).'),
    closedAt: isoTime.optional().describe('When it was closed.'),
    anonymisedAt: isoTime.optional().describe("When its signers' personal data was anonymised, after the retention period."),
    translations: z.record(z.string(), translationSchema).describe('Translated texts by BCP 47 locale.'),
    counts: countsSchema,
  })
  .describe('A campaign with its counts. With `?locale=` the translated fields are served where they exist.');

export const publicSignatureSchema = z
  .object({ name: z.string(), country, signedAt: isoTime })
  .describe('A confirmed signature whose signer chose to be listed: nothing else about them.');

export const publicEndorsementSchema = z.object({
  organisation: z.string(),
  country: country.nullable(),
  website: z.url().optional(),
});

export const adminEndorsementSchema = z.object({
  ...publicEndorsementSchema.shape,
  id: z.string(),
  campaign: z.string(),
  email: z.string().optional().describe("The organisation contact's address (operators only)."),
  status: z.enum(endorsementStatuses),
  createdAt: isoTime,
  confirmedAt: isoTime.optional(),
  decidedAt: isoTime.optional(),
});

export const offsetAuditSchema = z.object({
  at: isoTime,
  by: z.string().describe('The operator who made the change.'),
  previous: count,
  offset: count,
  reason: z.string(),
});

/**
 * Kept in step with ConfirmationAction in shared/store/token-store.ts by the type checks in
 * test/unit/http/openapi.test.ts; not imported from there, so this module does not load the DynamoDB client.
 */
export const confirmationKinds = ['signature', 'subscription', 'endorsement', 'erasure'] as const;

export const confirmResultSchema = z.object({ status: z.literal('confirmed'), kind: z.enum(confirmationKinds) });

export const acceptedSchema = z.object({ status: z.literal('pending') }).describe('The same answer whether or not the address is already known.');

export const healthSchema = z.object({ status: z.enum(['ok', 'starting']) });

const tallySchema = z.object({ signatures: count, byCountry: z.record(z.string(), count) });

export const reconciliationSchema = z.object({
  campaign: z.string(),
  counter: tallySchema.describe('What the counter said.'),
  recount: tallySchema.describe('What counting the signatures says.'),
  drift: z.number().int(),
  corrected: z.boolean(),
  note: z.string().optional().describe('Why a drift was not corrected.'),
});

export const unsubscribedSchema = z.object({ status: z.literal('unsubscribed') });

export const outreachAcceptedSchema = z.object({ outreachId: z.string().describe('Follow it at GET /admin/outreach/{id}.') });

export const outreachStatusSchema = z.object({
  id: z.string(),
  kind: z.enum(['urgent-call', 'digest']),
  status: z.enum(['queued', 'sending', 'done']),
  recipients: count,
  sent: count,
  failed: count,
  skipped: count.describe('Not sent: unsubscribed or suppressed addresses.'),
});

/** A list page: `{items, nextCursor}`; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last.') });
}
