import * as z from 'zod';
import { slugSchema } from '#shared/domain/campaign.ts';
import { signatureRequestSchema } from '#shared/domain/signature.ts';

/**
 * Detail of `SignatureSubmitted`: a signature request put on Tadamon's bus by a partner's AWS account (named in
 * the stage's `partnerAccounts`) or by Tadamon's own tools (`tadamon import`), recorded by RecordSubmittedSignature
 * through the same rules as `POST /campaigns/{slug}/signatures`. Its fields are that request's, from the same
 * schema (so they take the same rules and grow together), without the form's anti-abuse fields: no captcha or
 * honeypot reaches a bus that only named accounts may write to. The source account is the event's own `account`,
 * set by EventBridge, never a field of the detail.
 *
 * Delivered at least once: the consumer records each event once by its id, and once per `idempotencyKey` of the
 * account that sent it, so a producer that puts the same request again after a timeout records nothing new.
 */
export const signatureSubmittedSchema = signatureRequestSchema.omit({ website: true, captchaToken: true }).extend({
  slug: slugSchema,
  // The producer's own key for this request (base64url or hex, 16 to 128 characters): a row of an import, an
  // action id in the partner's system. Never an address or a name: it is kept (as an HMAC) for a week.
  idempotencyKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,128}$/, 'Use 16 to 128 letters, digits, "-" or "_", such as a hash of the row.')
    .optional(),
});
export type SignatureSubmitted = z.infer<typeof signatureSubmittedSchema>;
export const signatureSubmitted = 'SignatureSubmitted';
