import * as z from 'zod';
import { campaignKinds, campaignSigners, campaignStatuses } from '#shared/domain/campaign.ts';
import { endorsementStatuses } from '#shared/domain/endorsement.ts';
import { sourceDimensions } from '#shared/domain/signature-source.ts';
import { mailLocales } from '#shared/i18n/locales.ts';

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
  byCountry: z.record(z.string(), count).describe("Confirmed signatures plus partners' counts, per ISO 3166-1 alpha-2 country code."),
});

export const statsIntervals = ['hour', 'day'] as const;

export const statsSchema = z
  .object({
    interval: z.enum(statsIntervals),
    series: z
      .array(z.object({ at: isoTime.describe("The bucket's start (UTC)."), signatures: count.describe('Signatures confirmed in that hour or day.') }))
      .describe('Oldest first, every bucket present (zero where none were confirmed): hours of the last 7 days, or days since the first signature.'),
    byCountry: z.record(z.string(), count).describe("As in the counts: confirmed signatures plus partners' counts, per country."),
  })
  .describe('Signatures over time. Partners\' counts are in `byCountry`, not in the series (they have no time).');

export const adminStatsSchema = statsSchema
  .extend({
    bySource: z
      .record(z.enum(sourceDimensions), z.record(z.string(), count))
      .describe(
        'Confirmed signatures per value of each source field (`referrer`: the host of the page that sent the form). ' +
          'A campaign keeps at most 200 distinct values in all; later new values are counted under `other`.',
      ),
  })
  .describe('The public stats plus where signers came from.');

export const partnerCountsSchema = z.object({
  items: z
    .array(
      z.object({
        partner: z.string(),
        count,
        byCountry: z.record(z.string(), count).describe('The part of the count the partner reported per country (may be partial).'),
        at: isoTime.optional().describe('When it was last set (absent for an offset set before partners had counts of their own).'),
        by: z.string().optional().describe('The operator who last set it.'),
      }),
    )
    .describe('Every partner with a count, largest first; their counts add up to the campaign\'s `offset`.'),
});

const translationSchema = z.object({
  title: z.string(),
  summary: z.string().optional().describe("Absent: the campaign's own summary is served."),
  body: z.string().optional().describe("Absent: the campaign's own body is served."),
  target: z.string().optional().describe("Absent: the campaign's own target is served."),
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
    pageUrl: z.url().optional().describe("The campaign's own page on its organisation's site (https): where mails and the feed send readers."),
    deliverAllNames: z.boolean().optional().describe('Signers were told their name goes to the target: the delivery document may list every name (`?names=all`).'),
    partners: z
      .array(
        z.object({
          id: z.string().describe('The partner\'s id (`^[a-z0-9][a-z0-9-]{0,39}$`): what a signature\'s `partners` names, and the export\'s `?partner=`.'),
          name: z.string(),
          website: z.url().optional(),
          optIn: z
            .record(z.string(), z.string())
            .optional()
            .describe(
              'The text beside its opt-in box, by BCP 47 locale. The public answer gives it in en, fr, es and ar (the default, "Keep me informed by {name}", where the campaign gives none) and in every other language the campaign gave; ' +
                'a consent records the text of the signature\'s `locale` (else the campaign\'s).',
            ),
        }),
      )
      .optional()
      .describe('The organisations behind the campaign (at most 10), each offered to signers as an unticked opt-in of its own.'),
    signers: z.enum(campaignSigners).optional().describe('Who it gathers: `people` (signatures), `organisations` (endorsements) or `both`; unset, the API takes both; pages and the widget offer organisations and people on a statement, people on other kinds.'),
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
  contactName: z.string().optional().describe("The organisation contact's name, when given (operators only)."),
  status: z.enum(endorsementStatuses),
  createdAt: isoTime,
  confirmedAt: isoTime.optional(),
  decidedAt: isoTime.optional(),
});

export const offsetAuditSchema = z.object({
  at: isoTime,
  by: z.string().describe('The operator who made the change.'),
  partner: z.string().optional().describe("Whose count changed (`default`: the campaign's own offset); previous and offset are that partner's."),
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

export const preferencesSavedSchema = z.object({
  status: z.literal('saved'),
  preferences: z.object({
    urgent: z.boolean(),
    digest: z.enum(['weekly', 'none']),
    countries: z.array(z.string()).describe('Empty: every country.'),
    topics: z.array(z.string()).describe('Empty: every topic.'),
    locale: z.string().optional(),
  }),
});

export const outreachAcceptedSchema = z.object({ outreachId: z.string().describe('Follow it at GET /admin/outreach/{id}.') });

export const outreachStatusSchema = z.object({
  id: z.string(),
  kind: z.enum(['urgent-call', 'digest']),
  status: z.enum(['scheduled', 'queued', 'sending', 'done', 'cancelled']).describe('`scheduled`: waiting for `sendAt`; `cancelled`: stopped, what was sent stays sent.'),
  recipients: count,
  sent: count,
  failed: count,
  skipped: count.describe('Not sent: unsubscribed or suppressed addresses, and every delivery left when it was cancelled.'),
  createdAt: z.string(),
  campaign: z.string().optional(),
  subject: z.string().optional().describe("An urgent call's subject in the campaign's language."),
  locales: z.array(z.enum(mailLocales)).optional().describe('The languages an urgent call was written in.'),
  test: z.boolean().optional().describe('A test send, to the addresses given only.'),
  sendAt: z.string().optional(),
  cancelledAt: z.string().optional(),
});

export const outreachPageSchema = pageOf(outreachStatusSchema);

export const urgentCallAudienceSchema = z.object({
  audience: count.describe('Who would receive the call now.'),
  byLocale: z.partialRecord(z.enum(mailLocales), count).describe('The same, by the language each would read it in.'),
});

/** A list page: `{items, nextCursor}`; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last.') });
}
