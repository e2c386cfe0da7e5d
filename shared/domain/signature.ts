import * as z from 'zod';
import { countryCode, emailAddress, locale, multiLine, personName, singleLine } from './fields.ts';
import { partnerChoicesSchema } from './partners.ts';

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

/**
 * A stored source: what the form sent plus the host of the page that sent it (from Referer/Origin at signing), or
 * for a signature that came in as a `SignatureSubmitted` event, the AWS account that put it on the bus (a partner).
 */
export type StoredSignatureSource = SignatureSource & { referrer?: string; account?: string };

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
  // The campaign's partners this person opted in to (by id); stored as consents with the text shown (partners.ts).
  partners: partnerChoicesSchema
    .optional()
    .describe("Ids of the campaign's partner organisations the signer opted in to (its `partners`); a repeated id counts once, an unknown one is a 400."),
});
export type SignatureInput = z.infer<typeof signatureInputSchema>;

/** What a form sends: the signature plus the anti-abuse fields, which are checked and never stored. */
export const signatureRequestSchema = signatureInputSchema.extend({
  // The widget's hidden honeypot: people leave it empty.
  website: z.string().max(500).optional(),
  captchaToken: z.string().max(4096).optional(),
});
