import { now } from '#shared/clock.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { newId } from '#shared/ids.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { confirmedSubscriberPages, createOutreach } from '#shared/store/outreach-store.ts';
import type { Campaign } from '#shared/domain/campaign.ts';
import type { CallMessage } from '#shared/domain/outreach.ts';
import { AudienceTally, callMessages, checkSendAt } from '#shared/domain/outreach-planning.ts';
import type { MailLocale } from '#shared/i18n/locales.ts';
import { logger } from '#shared/observability.ts';
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

/** An urgent call in the campaign's language only: the request form that came before languages. */
export async function requestUrgentCall(campaign: string, subject: string, message: string, requestedBy: string): Promise<{ outreachId: string }> {
  const found = await getCampaign(campaign);
  const outcome = await issueUrgentCall(found, { subject, message }, requestedBy);
  return { outreachId: outcome.dryRun ? '' : outcome.outreachId };
}

export interface UrgentCallRequest {
  subject?: string | undefined;
  message?: string | undefined;
  messages?: Record<string, CallMessage> | undefined;
  dryRun?: boolean | undefined;
  testTo?: string[] | undefined;
  sendAt?: string | undefined;
}

export type UrgentCallOutcome = { dryRun: true; audience: number; byLocale: Partial<Record<MailLocale, number>> } | { dryRun?: false; outreachId: string };

/** Test sends go to at most this many addresses: enough for a team to read each version, too few to be a mailing. */
export const maxTestAddresses = 5;

/**
 * An urgent call about a campaign (the HTTP handler takes open ones only), in each language it is given in:
 * - a dry run counts who would receive it, by language, with the planner's own rules, and records nothing;
 * - a test send mails every version to `testTo` only, as an outreach of its own (listed, so every test send
 *   is on record with who asked for it), whose deliveries can never stand for a subscriber's: the real call
 *   afterwards reaches everyone;
 * - `sendAt` keeps it until then (functions/schedules/start-due-outreach.ts starts it).
 */
export async function issueUrgentCall(campaign: Campaign, request: UrgentCallRequest, requestedBy: string): Promise<UrgentCallOutcome> {
  const { messages, locale } = callMessages(request, campaign.locale);
  const testTo = request.testTo ? [...new Set(request.testTo.map((address) => address.trim()))] : undefined;
  if (testTo && (testTo.length === 0 || testTo.length > maxTestAddresses)) {
    throw new InvalidInputError('The test addresses are not valid.', [{ path: 'testTo', message: `Give 1 to ${maxTestAddresses} addresses.` }]);
  }
  if (request.dryRun && testTo) throw new InvalidInputError('Choose one.', [{ path: 'dryRun', message: 'A dry run sends nothing; leave testTo out.' }]);
  if (testTo && request.sendAt) throw new InvalidInputError('Choose one.', [{ path: 'sendAt', message: 'A test send goes now; leave sendAt out.' }]);
  const sendAt = request.sendAt === undefined ? undefined : checkSendAt(request.sendAt, now());
  const call = { kind: 'urgent-call' as const, messages, locale };
  if (request.dryRun) {
    const tally = new AudienceTally(call, campaign);
    for await (const subscribers of confirmedSubscriberPages()) for (const subscriber of subscribers) tally.add(subscriber);
    return { dryRun: true, audience: tally.audience, byLocale: tally.byLocale };
  }
  const outreachId = newId();
  await createOutreach({
    id: outreachId,
    ...call,
    campaign: campaign.slug,
    requestedBy,
    ...(testTo ? { test: true, testTo } : {}),
    ...(sendAt ? { state: 'scheduled' as const, sendAt } : { state: 'queued' as const }),
  });
  // The record of who mailed which addresses is the outreach itself; the log says it happened, without them.
  if (testTo) logger.info('urgent call test send', { outreachId, campaign: campaign.slug, requestedBy, addresses: testTo.length });
  return { outreachId };
}
