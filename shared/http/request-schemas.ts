import * as z from 'zod';
import { campaignKinds, campaignStatuses } from '#shared/domain/campaign.ts';
import { endorsementOrders, endorsementStatuses } from '#shared/domain/endorsement.ts';
import { countryCode, emailAddress, locale, multiLine, singleLine } from '#shared/domain/fields.ts';
import { partnerId } from '#shared/domain/partners.ts';
import { listQueryShape } from '#shared/store/pagination.ts';
import { endorsementStatus } from '#shared/domain/statuses.ts';

/**
 * The query and body schemas of the HTTP handlers that are not domain types, declared once and named by
 * the route definitions (routes.ts), from which both the handler and the OpenAPI document take them.
 */

/** Any paged list without filters: signatures, endorsements, the offset's audit trail. */
export const listQuerySchema = z.object(listQueryShape);

/** GET /campaigns/{slug}/endorsements: functions/http/list-endorsements.ts. */
export const listEndorsementsQuerySchema = z.object({
  order: z.enum(endorsementOrders, 'order is oldest or newest.').default('oldest'),
  ...listQueryShape,
});

/** GET /campaigns: functions/http/list-campaigns.ts. */
export const listCampaignsQuerySchema = z.object({
  kind: z.enum(campaignKinds).optional(),
  // Drafts are never public.
  status: z.enum(campaignStatuses).exclude(['draft']).default('open'),
  locale: z.string().max(35).optional(),
  ...listQueryShape,
});

/** GET /campaigns/{slug}: functions/http/get-campaign.ts. */
export const campaignQuerySchema = z.object({ locale: z.string().max(35).optional() });

/** POST /privacy/erasure: functions/http/request-erasure.ts. */
export const erasureRequestSchema = z.strictObject({ email: emailAddress, captchaToken: z.string().max(4096).optional() });

/** GET /feed.atom: functions/http/get-feed.ts. */
export const feedQuerySchema = z.object({ locale: locale.optional() });

/** GET /demo/{slug}: functions/http/get-demo-page.ts. Nothing else: the page only talks to this deployment. */
export const demoPageQuerySchema = z.object({ locale: locale.optional() });

/** GET /act/{slug}: functions/http/get-campaign-page.ts. `orgs`: the cursor of a later page of endorsing organisations. */
export const campaignPageQuerySchema = z.object({ locale: locale.optional(), orgs: z.string().max(2048).optional() });

/** GET /: functions/http/get-front-page.ts. `open` and `closed`: the cursors of later pages of each section. */
export const frontPageQuerySchema = z.object({ locale: locale.optional(), open: z.string().max(2048).optional(), closed: z.string().max(2048).optional() });

/** GET /admin/campaigns: functions/http/admin/list-campaigns.ts. */
export const adminListCampaignsQuerySchema = z.object({ status: z.enum(campaignStatuses).optional(), ...listQueryShape });

/** GET /admin/endorsements: functions/http/admin/list-endorsements.ts. */
export const adminListEndorsementsQuerySchema = z.object({
  // `pending`: confirmed by the organisation's contact, waiting for an operator's decision.
  status: z.enum(endorsementStatuses).default(endorsementStatus.awaitingOperator),
  ...listQueryShape,
});

/** POST /admin/campaigns/{slug}/reconcile: functions/http/admin/reconcile-campaign.ts. */
export const reconcileQuerySchema = z.object({ apply: z.enum(['true', 'false']).default('true').transform((v) => v === 'true') });

/** `?bom=1`: start a CSV with a UTF-8 byte-order mark, so that spreadsheets read non-Latin names as UTF-8. */
const byteOrderMark = z
  .enum(['0', '1'], 'bom is 0 or 1.')
  .default('0')
  .transform((v) => v === '1');

/** GET /admin/campaigns/{slug}/countries.csv: functions/http/admin/export-countries.ts. */
export const countriesExportQuerySchema = z.object({ bom: byteOrderMark });

/** GET /campaigns/{slug}/stats and GET /admin/campaigns/{slug}/stats: functions/http/get-campaign-stats.ts. */
export const statsQuerySchema = z.object({ interval: z.enum(['hour', 'day'], 'interval is hour or day.').default('day') });

/** GET /admin/campaigns/{slug}/signatures.csv: functions/http/admin/export-signatures.ts. */
export const exportQuerySchema = z.object({
  bom: byteOrderMark,
  rows: z.coerce.number().int('rows must be a whole number.').min(1, 'rows is at least 1.').max(100_000, 'rows is at most 100000.').optional(),
  cursor: z.string().max(2048).optional(),
  // One partner organisation's copy: only the signers who opted in to it (partner-export.ts).
  partner: partnerId.optional(),
});

/** GET /admin/campaigns/{slug}/delivery.pdf: functions/http/admin/get-delivery-pdf.ts. */
export const deliveryQuerySchema = z.object({
  names: z.enum(['public', 'all'], { error: 'names is public or all.' }).default('public'),
  cursor: z.string().max(2048).optional(),
  // Where a later part's list starts (its heading says so); the cursor says which names follow.
  from: z.coerce.number().int('from must be a whole number.').min(1, 'from is at least 1.').max(1_000_000_000).default(1),
});

/** PUT /admin/campaigns/{slug}/offset: functions/http/admin/set-offset.ts. */
export const offsetInputSchema = z.strictObject({
  offset: z.number().int('offset must be a whole number.').min(0, 'offset cannot be negative.').max(1_000_000_000),
  reason: singleLine(500),
});

/** A partner's id in PUT /admin/campaigns/{slug}/offsets/{partner}: short, lower case, safe in a key and a URL. */
export const partnerIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'A partner is 1 to 64 lower-case letters, digits and inner hyphens, such as amnesty-fr.');

/** PUT /admin/campaigns/{slug}/offsets/{partner}: functions/http/admin/set-partner-offset.ts. */
export const partnerOffsetInputSchema = z.strictObject({
  count: z.number().int('count must be a whole number.').min(0, 'count cannot be negative.').max(1_000_000_000),
  // Bounded: the counter item carries every partner's breakdown, and an item holds at most 400 KB.
  byCountry: z
    .record(countryCode, z.number().int('A country count must be a whole number.').min(0).max(1_000_000_000))
    .refine((m) => Object.keys(m).length <= 300, 'At most 300 countries.')
    .optional(),
  reason: singleLine(500),
})
  // A breakdown may be partial (some forms had no country), never more than the count.
  .refine((p) => !p.byCountry || Object.values(p.byCountry).reduce((a, b) => a + b, 0) <= p.count, {
    message: "The countries add up to more than count.",
    path: ['byCountry'],
  });

/** POST /admin/campaigns/{slug}/urgent-calls: functions/http/admin/create-urgent-call.ts. */
const callMessageSchema = z.strictObject({ subject: singleLine(200), message: multiLine(10_000, 1) });
export const urgentCallInputSchema = z.strictObject({
  subject: singleLine(200).optional().describe("The call in the campaign's language only (the form before `messages`)."),
  message: multiLine(10_000, 1).optional(),
  // Keys are checked against the mail locales by the domain (outreach-planning.ts `callMessages`), which says which is missing.
  messages: z
    .record(z.string().max(35), callMessageSchema)
    .refine((m) => Object.keys(m).length >= 1 && Object.keys(m).length <= 4, 'Give 1 to 4 language versions.')
    .optional()
    .describe("The call by language (`en`, `fr`, `es`, `ar`); the campaign's language is required: it is what subscribers read when theirs is missing."),
  dryRun: z.boolean().optional().describe('Count the audience by language; send and record nothing.'),
  testTo: z.array(emailAddress).min(1).max(5, 'At most 5 test addresses.').optional().describe('Send every version to these addresses only, marked as a test.'),
  sendAt: z.iso.datetime({ offset: true }).optional().describe('Send then (in the future, at most 30 days ahead) instead of now.'),
});

/** POST /admin/digests: functions/http/admin/request-digest.ts. */
export const digestRequestSchema = z.strictObject({ period: z.string().max(10).optional() });

/** PUT /admin/blocklist/{kind}/{value}: functions/http/admin/add-block.ts. */
export const blockInputSchema = z.strictObject({ reason: singleLine(300) });
