import { requestDigest } from '#shared/domain/outreach-requests.ts';

/** The weekly schedule: the current ISO week's digest, through the same code as POST /admin/digests. */
export async function handler(): Promise<{ outreachId: string; created: boolean }> {
  return requestDigest(undefined, 'schedule');
}
