import { z } from 'zod';
import { countryCode, emailAddress, locale, multiLine, singleLine } from './fields.ts';

export const signatureInputSchema = z.strictObject({
  name: singleLine(200),
  email: emailAddress,
  country: countryCode,
  postcode: singleLine(20).optional(),
  comment: multiLine(1000).optional(),
  public: z.boolean().default(false),
  subscribe: z.boolean().default(false),
  locale: locale.optional(),
});
export type SignatureInput = z.infer<typeof signatureInputSchema>;

export type SignatureStatus = 'pending' | 'confirmed';

export interface Signature extends SignatureInput {
  id: string;
  campaign: string;
  status: SignatureStatus;
  createdAt: string;
  confirmedAt?: string;
}
