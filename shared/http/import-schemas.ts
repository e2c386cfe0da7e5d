import * as z from 'zod';
import { signatureSubmittedSchema } from '#events/signature-submitted.ts';

/**
 * POST /admin/campaigns/{slug}/signatures/import (functions/http/admin/import-signatures.ts): a batch of
 * signature requests from paper or offline forms, put on the bus as `SignatureSubmitted` events and recorded from
 * there as a partner's are. A row is the event's detail without the slug (the path names the campaign), with its
 * idempotency key required: a batch sent again after a timeout records nothing twice. No store is imported here.
 */

/**
 * At most ten rows: one PutEvents call holds ten entries. A row is at most ~5 KB of UTF-8 (a 1,000-character
 * comment of 4-byte characters, a 200-character name), so a batch stays far under PutEvents' 256 KB; the body's
 * own limit (MAX_BODY_BYTES, 16 KiB) is what a sender sizes its batches by.
 */
export const maxImportBatch = 10;

export const signatureImportRowSchema = signatureSubmittedSchema.omit({ slug: true }).required({ idempotencyKey: true });
export type SignatureImportRow = z.infer<typeof signatureImportRowSchema>;

export const signatureImportSchema = z.strictObject({
  signatures: z.array(signatureImportRowSchema).min(1, 'At least one signature.').max(maxImportBatch, `At most ${maxImportBatch} signatures a request.`),
});

export const signatureImportEntrySchema = z.union([
  z.object({ eventId: z.string().describe("EventBridge's id of the event this row became.") }),
  z.object({ errorCode: z.string(), errorMessage: z.string() }).describe('EventBridge did not take this row: send it again (its idempotency key keeps it from counting twice).'),
]);
export type SignatureImportEntry = z.infer<typeof signatureImportEntrySchema>;

export const signatureImportResultSchema = z
  .object({
    entries: z.array(signatureImportEntrySchema).describe("One per row, in the request's order."),
    failed: z.number().int().min(0).describe('Rows EventBridge did not take.'),
  })
  .describe('Which rows are on the bus. Each is then recorded as `POST /campaigns/{slug}/signatures` records a request: pending until the link mailed to the address is clicked.');
