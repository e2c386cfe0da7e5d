import { requestDigest } from '#shared/use-cases/outreach-requests.ts';
import { scheduleHandler } from '#shared/triggers/schedule-handler.ts';

/** The weekly schedule: the current ISO week's digest, through the same code as POST /admin/digests. */
export const handler = scheduleHandler((): Promise<{ outreachId: string; created: boolean }> => requestDigest(undefined, 'schedule'));
