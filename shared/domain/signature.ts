import { z } from 'zod';
import { countryCode, emailAddress, locale, multiLine, personName, singleLine } from './fields.ts';

export const signatureInputSchema = z.strictObject({
  name: personName(200),
  email: emailAddress,
  country: countryCode,
  postcode: singleLine(20).optional(),
  comment: multiLine(1000).optional(),
  public: z.boolean().default(false),
  subscribe: z.boolean().default(false),
  locale: locale.optional(),
});
export type SignatureInput = z.infer<typeof signatureInputSchema>;

/** What a form sends: the signature plus the anti-abuse fields, which are checked and never stored. */
export const signatureRequestSchema = signatureInputSchema.extend({
  // The widget's hidden honeypot: people leave it empty.
  website: z.string().max(500).optional(),
  captchaToken: z.string().max(4096).optional(),
});
