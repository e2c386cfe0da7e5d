import * as z from 'zod';
import { countryCode, emailAddress, locale, organisationName, personName } from './fields.ts';
import type { EndorsementStatus } from './statuses.ts';

export const endorsementInputSchema = z.strictObject({
  organisation: organisationName(300),
  country: countryCode,
  email: emailAddress,
  website: z
    .url({ protocol: /^https$/, message: 'Use an https:// address.' })
    .max(500)
    .optional(),
  // The person who answers for the organisation: shown to operators, never published, erased with the address.
  contactName: personName(200).optional(),
  // The language of the confirmation mail (the form's).
  locale: locale.optional(),
});
export type EndorsementInput = z.infer<typeof endorsementInputSchema>;

export const endorsementRequestSchema = endorsementInputSchema.extend({ captchaToken: z.string().max(4096).optional() });

export { endorsementStatuses, type EndorsementStatus } from './statuses.ts';

/** Which end of a campaign's approved endorsements a list starts from: `oldest`, the order they joined, or `newest`. */
export const endorsementOrders = ['oldest', 'newest'] as const;
export type EndorsementOrder = (typeof endorsementOrders)[number];

export interface PublicEndorsement {
  organisation: string;
  country: string | null;
  website?: string;
}

export interface Endorsement extends PublicEndorsement {
  id: string;
  campaign: string;
  email?: string;
  contactName?: string;
  status: EndorsementStatus;
  createdAt: string;
  confirmedAt?: string;
  decidedAt?: string;
}
