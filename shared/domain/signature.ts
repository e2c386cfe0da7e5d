import * as z from 'zod';
import { countryCode, emailAddress, locale, multiLine, personName, singleLine } from './fields.ts';

/**
 * Where a signer came from, as the form (or the widget, from its host page's URL) reports it: campaign
 * tracking fields, never anything about the person. Counted per campaign (shared/store/counting.ts).
 */
export const signatureSourceSchema = z.strictObject({
  utm_source: singleLine(100).optional(),
  utm_medium: singleLine(100).optional(),
  utm_campaign: singleLine(100).optional(),
  ref: singleLine(100).optional(),
});
export type SignatureSource = z.infer<typeof signatureSourceSchema>;

/** A stored source: what the form sent plus the host of the page that sent it (from Referer/Origin at signing). */
export type StoredSignatureSource = SignatureSource & { referrer?: string };

export const signatureInputSchema = z.strictObject({
  name: personName(200),
  email: emailAddress,
  country: countryCode,
  postcode: singleLine(20).optional(),
  comment: multiLine(1000).optional(),
  public: z.boolean().default(false),
  subscribe: z.boolean().default(false),
  locale: locale.optional(),
  source: signatureSourceSchema.optional(),
});
export type SignatureInput = z.infer<typeof signatureInputSchema>;

/** What a form sends: the signature plus the anti-abuse fields, which are checked and never stored. */
export const signatureRequestSchema = signatureInputSchema.extend({
  // The widget's hidden honeypot: people leave it empty.
  website: z.string().max(500).optional(),
  captchaToken: z.string().max(4096).optional(),
});
