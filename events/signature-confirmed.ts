import * as z from 'zod';

/**
 * Detail of `SignatureConfirmed`: a signature was confirmed by its link and counted. Ids only, never the signer's
 * name or address: a consumer that may see more (a webhook, within what the person agreed to share) reads the
 * signature by its email key. Emitted by CountConfirmations once the signature is counted; delivered at least
 * once, so consumers dedupe on `signatureId`.
 */
export const signatureConfirmedSchema = z.object({
  signatureId: z.string().min(1),
  slug: z.string().min(1),
  /** The HMAC the signature is filed under (shared/store/layout.ts `keys.signature`), not an address. */
  emailKey: z.string().min(1),
  country: z.string(),
  confirmedAt: z.string(),
});
export type SignatureConfirmed = z.infer<typeof signatureConfirmedSchema>;
export const signatureConfirmed = 'SignatureConfirmed';
