import { mailLocale, mailLocales, type MailLocale } from '#shared/i18n/locales.ts';
import { InvalidInputError, type InvalidField } from './errors.ts';
import { wantsCampaign, type Subscriber } from './subscription.ts';
import type { Campaign } from './campaign.ts';
import type { CallMessage, CallMessages, Outreach } from './outreach.ts';
import { subscriberStatus } from './statuses.ts';

/**
 * Who an outreach is for: urgent calls go to subscribers of urgent alerts whose filters match; digests to weekly
 * readers. The planner, the sender (again, just before sending) and an urgent call's dry run all ask this.
 */
export function isRecipient(outreach: Pick<Outreach, 'kind'>, subscriber: Subscriber, campaign: Pick<Campaign, 'countries' | 'topics'> | undefined): boolean {
  if (subscriber.status !== subscriberStatus.confirmed) return false;
  if (outreach.kind === 'digest') return subscriber.digest === 'weekly';
  return subscriber.urgent && campaign !== undefined && wantsCampaign(subscriber, campaign);
}

type Versions = Pick<Outreach, 'messages' | 'locale' | 'subject' | 'message'>;

/**
 * The language a subscriber reads an urgent call in: theirs where the call has a version in it, else the
 * campaign's (a subscriber who gave no language reads the campaign's too). The whole mail — headers, footer,
 * the campaign's title — is then in that language, so nobody gets a message framed in another.
 */
export function messageLocaleFor(outreach: Versions, subscriberLocale: string | undefined): MailLocale {
  const fallback = outreach.locale ?? 'en';
  if (!subscriberLocale) return fallback;
  const own = mailLocale(subscriberLocale);
  return outreach.messages?.[own] ? own : fallback;
}

/** The version in `locale` (chosen by messageLocaleFor); a call made before languages has one version only. */
export function messageIn(outreach: Versions, locale: MailLocale): CallMessage {
  const version = outreach.messages?.[locale] ?? (outreach.locale ? outreach.messages?.[outreach.locale] : undefined);
  return version ?? { subject: outreach.subject ?? '', message: outreach.message ?? '' };
}

/** The audience of an urgent call by language: what a dry run answers, counted as the planner selects. */
export class AudienceTally {
  audience = 0;
  readonly byLocale: Partial<Record<MailLocale, number>> = {};

  constructor(
    private readonly outreach: Pick<Outreach, 'kind'> & Versions,
    private readonly campaign: Pick<Campaign, 'countries' | 'topics'> | undefined,
  ) {}

  add(subscriber: Subscriber): void {
    if (!isRecipient(this.outreach, subscriber, this.campaign)) return;
    const locale = messageLocaleFor(this.outreach, subscriber.locale);
    this.audience += 1;
    this.byLocale[locale] = (this.byLocale[locale] ?? 0) + 1;
  }
}

/**
 * An urgent call's versions from a request: `messages` by locale, or the old single `subject`/`message`, which is
 * the campaign's language version. The campaign's language must be given: it is what everyone whose language
 * has no version reads. Keys are mail locales (en, fr, es, ar); a regional tag (`fr-CA`) names its language.
 */
export function callMessages(
  request: { subject?: string | undefined; message?: string | undefined; messages?: Record<string, CallMessage> | undefined },
  campaignLocale: string,
): { messages: CallMessages; locale: MailLocale } {
  const locale = mailLocale(campaignLocale);
  const single = request.subject !== undefined || request.message !== undefined;
  const problems: InvalidField[] = [];
  if (single && request.messages) problems.push({ path: 'messages', message: 'Give either subject and message, or messages by language, not both.' });
  if (single && (request.subject === undefined || request.message === undefined)) {
    problems.push({ path: request.subject === undefined ? 'subject' : 'message', message: 'A subject needs a message, and a message a subject.' });
  }
  if (!single && !request.messages) problems.push({ path: 'messages', message: 'Give the call: messages by language, or subject and message.' });
  const messages: CallMessages = {};
  for (const [tag, version] of Object.entries(request.messages ?? {})) {
    const language = tag.toLowerCase().split(/[-_]/)[0] ?? '';
    if (!(mailLocales as readonly string[]).includes(language)) {
      problems.push({ path: `messages.${tag}`, message: `Mail is written in ${mailLocales.join(', ')}; "${tag}" is none of them.` });
    } else if (messages[language as MailLocale]) {
      problems.push({ path: `messages.${tag}`, message: `A second version in "${language}".` });
    } else {
      messages[language as MailLocale] = version;
    }
  }
  if (single && request.subject !== undefined && request.message !== undefined) messages[locale] = { subject: request.subject, message: request.message };
  if (!single && request.messages && !messages[locale] && problems.length === 0) {
    problems.push({
      path: `messages.${locale}`,
      message: `The campaign's language (${locale}) is required: subscribers whose language has no version read that one.`,
    });
  }
  if (problems.length) throw new InvalidInputError('The urgent call is not valid.', problems);
  return { messages, locale };
}

/** How far ahead a call may be scheduled: far enough for a week's planning, near enough to still be meant. */
export const scheduleHorizonDays = 30;

/** A scheduled time, checked: in the future and within the horizon. */
export function checkSendAt(sendAt: string, now: Date): string {
  const at = new Date(sendAt);
  const problem = (message: string) => new InvalidInputError('The send time is not valid.', [{ path: 'sendAt', message }]);
  if (Number.isNaN(at.getTime())) throw problem('Use an ISO 8601 time such as 2026-12-05T08:00:00Z.');
  if (at.getTime() <= now.getTime()) throw problem('The send time has passed; leave sendAt out to send now.');
  if (at.getTime() > now.getTime() + scheduleHorizonDays * 86_400_000) throw problem(`Schedule at most ${scheduleHorizonDays} days ahead.`);
  return at.toISOString();
}

/**
 * A test send's deliveries: one per address and language version, under keys that are no email key (an email
 * key is an HMAC, base64url without `~`), so they can never be taken for, or take the place of, a subscriber's.
 */
export function testDeliveryKey(index: number, locale: MailLocale): string {
  return `test~${index}~${locale}`;
}

export function parseTestDeliveryKey(key: string): { index: number; locale: MailLocale } | undefined {
  const match = /^test~(\d)~([a-z]{2})$/.exec(key);
  if (!match || !(mailLocales as readonly string[]).includes(match[2] ?? '')) return undefined;
  return { index: Number(match[1]), locale: match[2] as MailLocale };
}

/** The test send's deliveries: every language version to every address. */
export function testDeliveryKeys(outreach: Pick<Outreach, 'testTo' | 'messages'>): string[] {
  const locales = mailLocales.filter((locale) => outreach.messages?.[locale]);
  return (outreach.testTo ?? []).flatMap((_, index) => locales.map((locale) => testDeliveryKey(index, locale)));
}
