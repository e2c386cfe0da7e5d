import * as z from 'zod';

/** Detail of `UrgentCallIssued` and `DigestRequested`: an outreach to plan. Planning is idempotent per id. */
export const outreachRequestedSchema = z.object({
  outreachId: z.string(),
  kind: z.enum(['urgent-call', 'digest']),
});
export type OutreachRequested = z.infer<typeof outreachRequestedSchema>;
export const urgentCallIssued = 'UrgentCallIssued';
export const digestRequested = 'DigestRequested';
