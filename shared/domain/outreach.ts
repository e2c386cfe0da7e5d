import type { MailLocale } from '#shared/i18n/locales.ts';

/** An outreach: one urgent call or weekly digest, mailed to every subscriber it concerns. */
export type OutreachKind = 'urgent-call' | 'digest';
export type DeliveryOutcome = 'sent' | 'failed' | 'skipped';

/** One language version of an urgent call. */
export interface CallMessage {
  subject: string;
  message: string;
}

/** An urgent call's versions by mail locale; the campaign's own language is always among them. */
export type CallMessages = Partial<Record<MailLocale, CallMessage>>;

/**
 * Where an outreach stands, as stored. `scheduled`: waiting for `sendAt`, nothing planned; `queued`: started
 * (planning, then sending; the counters say how far); `cancelled`: stopped by an operator, what was sent stays
 * sent and every delivery not sent yet is skipped. Outreach made before scheduling existed carry no state and
 * are `queued`.
 */
export type OutreachState = 'scheduled' | 'queued' | 'cancelled';

export interface Outreach {
  id: string;
  kind: OutreachKind;
  campaign?: string;
  /** The single version of calls made before languages (and of the old request form, in `messages` since). */
  subject?: string;
  message?: string;
  /** The versions by language, and the language of those whose own is missing (the campaign's). */
  messages?: CallMessages;
  locale?: MailLocale;
  /** A test send: every version to `testTo` only, never to a subscriber. */
  test?: boolean;
  /** Until every version has gone; then only their number, `testAddresses`, stays. */
  testTo?: string[];
  testAddresses?: number;
  state?: OutreachState;
  sendAt?: string;
  cancelledAt?: string;
  cancelledBy?: string;
  period?: string;
  planned: boolean;
  recipients: number;
  sent: number;
  failed: number;
  skipped: number;
  createdAt: string;
  requestedBy: string;
}

/** What operators see of an outreach: its progress, from its state and counters. */
export type OutreachProgress = 'scheduled' | 'queued' | 'sending' | 'done' | 'cancelled';

export function progressOf(outreach: Pick<Outreach, 'state' | 'planned' | 'recipients' | 'sent' | 'failed' | 'skipped'>): OutreachProgress {
  if (outreach.state === 'scheduled') return 'scheduled';
  if (outreach.state === 'cancelled') return 'cancelled';
  const finished = outreach.sent + outreach.failed + outreach.skipped;
  if (!outreach.planned) return finished > 0 || outreach.recipients > 0 ? 'sending' : 'queued';
  return finished >= outreach.recipients ? 'done' : 'sending';
}
