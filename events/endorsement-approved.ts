import * as z from 'zod';

/**
 * Detail of `EndorsementApproved`: an operator approved an organisation's endorsement, which is now listed and
 * counted. What the public list shows of it, never its contact's address. Emitted by CountConfirmations once it
 * is counted; consumers dedupe on `endorsementId`.
 */
export const endorsementApprovedSchema = z.object({
  endorsementId: z.string().min(1),
  slug: z.string().min(1),
  organisation: z.string(),
  country: z.string(),
  approvedAt: z.string(),
});
export type EndorsementApproved = z.infer<typeof endorsementApprovedSchema>;
export const endorsementApproved = 'EndorsementApproved';
