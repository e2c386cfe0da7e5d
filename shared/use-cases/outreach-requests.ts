import { now } from '#shared/clock.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { newId } from '#shared/ids.ts';
import { createOutreach } from '#shared/store/outreach-store.ts';
import { isoWeek, isoWeekRange } from '#shared/domain/iso-week.ts';

/**
 * The weekly digest for a period (default: the current ISO week). The outreach id is the period, so the
 * schedule and an operator asking for the same week make one outreach, and each reader gets it once.
 */
export async function requestDigest(period: string | undefined, requestedBy: string): Promise<{ outreachId: string; created: boolean }> {
  const week = period ?? isoWeek(now());
  if (!isoWeekRange(week)) throw new InvalidInputError('Not an ISO week.', [{ path: 'period', message: 'Use an ISO week such as 2026-W47.' }]);
  const outreachId = `digest-${week}`;
  const { created } = await createOutreach({ id: outreachId, kind: 'digest', period: week, requestedBy });
  return { outreachId, created };
}

export async function requestUrgentCall(campaign: string, subject: string, message: string, requestedBy: string): Promise<{ outreachId: string }> {
  const outreachId = newId();
  await createOutreach({ id: outreachId, kind: 'urgent-call', campaign, subject, message, requestedBy });
  return { outreachId };
}
