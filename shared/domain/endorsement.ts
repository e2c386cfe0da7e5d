import { z } from 'zod';
import { countryCode, emailAddress, organisationName } from './fields.ts';
import type { EndorsementStatus } from './statuses.ts';

export const endorsementInputSchema = z.strictObject({
  organisation: organisationName(300),
  country: countryCode,
  email: emailAddress,
  website: z
    .url({ protocol: /^https$/, message: 'Use an https:// address.' })
    .max(500)
    .optional(),
});
export type EndorsementInput = z.infer<typeof endorsementInputSchema>;

export const endorsementRequestSchema = endorsementInputSchema.extend({ captchaToken: z.string().max(4096).optional() });

export { endorsementStatuses, type EndorsementStatus } from './statuses.ts';

export interface PublicEndorsement {
  organisation: string;
  country: string | null;
  website?: string;
}

export interface Endorsement extends PublicEndorsement {
  id: string;
  campaign: string;
  email?: string;
  status: EndorsementStatus;
  createdAt: string;
  confirmedAt?: string;
  decidedAt?: string;
}
