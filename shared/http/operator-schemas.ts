import * as z from 'zod';
import { countryCode, emailAddress, locale, singleLine, topic } from '#shared/domain/fields.ts';

/**
 * Schemas of the operator routes for subscribers and erasure (routes.ts names them): requests as the
 * handlers validate them, answers as the OpenAPI document shows them. No store is imported here.
 */

const filterShape = {
  country: countryCode.optional(),
  topic: topic.optional(),
  locale: locale.optional(),
};

/** GET /admin/subscribers/summary: functions/http/admin/subscriber-summary.ts. */
export const subscriberSummaryQuerySchema = z.object({
  ...filterShape,
  statuses: z
    .enum(['confirmed', 'all'])
    .default('confirmed')
    .describe('`confirmed` (default): confirmed subscribers, read through their index. `all`: every status (waiting for their link, confirmed, unsubscribed), read by a Scan of the whole table, which costs read units for every item of the table, not only subscribers.'),
  cursor: z.string().max(2048).optional(),
});

/** GET /admin/subscribers.csv: functions/http/admin/export-subscribers.ts. */
export const subscriberExportQuerySchema = z.object({
  ...filterShape,
  rows: z.coerce.number().int('rows must be a whole number.').min(1, 'rows is at least 1.').max(100_000, 'rows is at most 100000.').optional(),
  cursor: z.string().max(2048).optional(),
});

// An address in the reason would outlive the erasure in the audit trail.
const looksLikeAddress = /[^\s@]+@[^\s@]+\.[^\s@]+/;

/** POST /admin/privacy/erasure: functions/http/admin/erase-person.ts. */
export const operatorErasureSchema = z.strictObject({
  email: emailAddress,
  reason: singleLine(300, 3).refine((reason) => !looksLikeAddress.test(reason), {
    message: 'The reason is kept after the erasure: write it without an email address (e.g. "letter of 2026-12-01, ticket 42").',
  }),
});

const counts = z.record(z.string(), z.number().int().nonnegative());

export const subscriberSummarySchema = z.object({
  total: z.number().int().nonnegative().describe('Subscribers matching the filters: confirmed ones, or of every status with `statuses=all`.'),
  byStatus: counts.describe('By status: `confirmed` only, unless `statuses=all` (then also `unconfirmed`, waiting for their link, and `unsubscribed`).'),
  byLocale: counts.describe('By locale (`en` when a subscriber chose none).'),
  byCountry: counts.describe('Once per country a subscriber chose; `all` for those who chose none (everything).'),
  byTopic: counts.describe('Once per topic a subscriber chose; `all` for those who chose none (everything).'),
  urgent: z.object({ on: z.number().int(), off: z.number().int() }),
  digest: z.object({ weekly: z.number().int(), none: z.number().int() }),
  nextCursor: z.string().nullable().describe('Present when the count stopped before the end (a very long list): ask again with it (and the same `statuses`) and add the counts up.'),
});

export const operatorErasureResultSchema = z.object({
  status: z.enum(['erased', 'erasing']).describe('`erasing`: the rest is finished by the daily job, within a day.'),
  items: z.number().int().nonnegative().describe('Items erased or anonymised so far (counted signatures stay counted, anonymous).'),
});

export const deadLetterQueueSchema = z.object({
  queue: z.string().describe('`mail`, `stream`, `events` or `address-events`: those this deployment has.'),
  holds: z.string(),
  replay: z
    .enum(['move', 'invoke', 'by-hand'])
    .describe('`move`: `POST /admin/dead-letters/{queue}/replay` sends its messages back; `invoke`: it invokes each failed function again with its event; `by-hand`: see the operating guide.'),
  messages: z.number().int().nonnegative().describe('Waiting (approximate, as SQS counts).'),
  inFlight: z.number().int().nonnegative().describe('Being read or moved.'),
});

export const deadLetterListSchema = z.object({ items: z.array(deadLetterQueueSchema) });

export const deadLetterReplaySchema = z.object({
  queue: z.string(),
  messages: z.number().int().nonnegative().describe('Messages the replay moves (approximate); 0: there was nothing to replay.'),
  perSecond: z.number().int().positive(),
  status: z.enum(['moving', 'empty']),
});

export const deadLetterInvokeReplaySchema = z.object({
  queue: z.string(),
  replayed: z.number().int().nonnegative().describe('Failed functions invoked again (asynchronously) with their original event, and their messages deleted.'),
  skipped: z.number().int().nonnegative().describe("Left in the queue: not a failure record, or for a function that is not one of this stack's event or schedule functions."),
  failed: z.number().int().nonnegative().describe('Left in the queue: Lambda refused the invocation; the run stopped there.'),
  left: z.number().int().nonnegative().describe('Still waiting (approximate): call again until 0. Skipped and failed messages are hidden for two minutes.'),
  notes: z.array(z.string()).describe('Why messages were skipped or failed, each reason once.'),
});

export const erasureAuditSchema = z.object({
  erasedOn: z.string().describe('The day it finished (YYYY-MM-DD).'),
  items: z.number().int().nonnegative().describe('Items erased or anonymised.'),
  by: z.string().optional().describe("An operator's erasure: who (absent when the person confirmed it by their link)."),
  at: z.string().optional().describe("An operator's erasure: when it was done."),
  reason: z.string().optional().describe("An operator's erasure: the reason given."),
});
