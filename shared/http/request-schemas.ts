import { z } from 'zod';
import { campaignKinds, campaignStatuses } from '#shared/domain/campaign.ts';
import { endorsementStatuses } from '#shared/domain/endorsement.ts';
import { emailAddress, locale, multiLine, singleLine } from '#shared/domain/fields.ts';
import { listQueryShape } from '#shared/store/pagination.ts';
import { endorsementStatus } from '#shared/domain/statuses.ts';

/**
 * The query and body schemas of the HTTP handlers that are not domain types, declared once and named by
 * the route definitions (routes.ts), from which both the handler and the OpenAPI document take them.
 */

/** Any paged list without filters: signatures, endorsements, the offset's audit trail. */
export const listQuerySchema = z.object(listQueryShape);

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

/** GET /admin/campaigns/{slug}/signatures.csv: functions/http/admin/export-signatures.ts. */
export const exportQuerySchema = z.object({
  rows: z.coerce.number().int('rows must be a whole number.').min(1, 'rows is at least 1.').max(100_000, 'rows is at most 100000.').optional(),
  cursor: z.string().max(2048).optional(),
});

/** PUT /admin/campaigns/{slug}/offset: functions/http/admin/set-offset.ts. */
export const offsetInputSchema = z.strictObject({
  offset: z.number().int('offset must be a whole number.').min(0, 'offset cannot be negative.').max(1_000_000_000),
  reason: singleLine(500),
});

/** POST /admin/campaigns/{slug}/urgent-calls: functions/http/admin/create-urgent-call.ts. */
export const urgentCallInputSchema = z.strictObject({ subject: singleLine(200), message: multiLine(10_000, 1) });

/** POST /admin/digests: functions/http/admin/request-digest.ts. */
export const digestRequestSchema = z.strictObject({ period: z.string().max(10).optional() });

/** PUT /admin/blocklist/{kind}/{value}: functions/http/admin/add-block.ts. */
export const blockInputSchema = z.strictObject({ reason: singleLine(300) });
