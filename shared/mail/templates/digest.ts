import type { OutgoingMail } from '../mailer.ts';
import { formatNumber, intlLocale, mailLocale, type MailLocale } from '#shared/i18n/locales.ts';
import { bulkHeaders, renderParts, type Block, type Progress } from './layout.ts';
import { digestStrings } from '#shared/i18n/strings/digest.ts';
import { singleLine } from './text.ts';

export interface CampaignLine {
  title: string;
  summary: string;
  url: string;
  /** Signatures counted, offset included. */
  total: number;
  goal: number | null;
  /** A statement's approved endorsements: its progress is told in organisations, not signatures. */
  endorsements?: number;
}

export interface DigestMail {
  to: string;
  /** The recipient's BCP 47 locale; English when no template exists for it. */
  locale?: string;
  /** The ISO week, e.g. "2026-W47". */
  period: string;
  /** Campaigns opened during the period. */
  opened: CampaignLine[];
  /** Every open campaign, with its count. */
  progress: CampaignLine[];
  /** `{PUBLIC_URL}/unsubscribe/{token}`. */
  unsubscribeUrl: string;
  /** Who the mail is from, e.g. "Tadamon · International Peoples' Assembly". */
  sender: string;
}

const DAY = 24 * 60 * 60 * 1000;

/** "2026-W47" → "16–22 November 2026" in the locale; anything that is not an ISO week is shown as given. */
export function formatPeriod(locale: MailLocale, period: string): string {
  const match = /^(\d{4})-W(\d{2})$/.exec(period.trim());
  const week = Number(match?.[2]);
  if (!match || week < 1 || week > 53) return singleLine(period);
  // ISO 8601: week 1 is the week (Monday to Sunday) that holds 4 January.
  const january4 = Date.UTC(Number(match[1]), 0, 4);
  const monday = january4 - ((new Date(january4).getUTCDay() + 6) % 7) * DAY + (week - 1) * 7 * DAY;
  const format = new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return format.formatRange(new Date(monday), new Date(monday + 6 * DAY));
}

function progressOf(locale: MailLocale, line: CampaignLine): Progress {
  const words = digestStrings[locale];
  if (line.endorsements !== undefined) {
    const endorsed = Math.max(0, line.endorsements);
    return { label: words.endorsements(endorsed, formatNumber(locale, endorsed)), ratio: null };
  }
  const total = Math.max(0, line.total);
  const n = formatNumber(locale, total);
  if (line.goal === null || !(line.goal > 0)) return { label: words.count(total, n), ratio: null };
  return { label: words.countOfGoal(total, line.goal, n, formatNumber(locale, line.goal)), ratio: total / line.goal };
}

/**
 * The weekly digest: campaigns opened in the period, then the progress of every open campaign. Bulk mail,
 * with one-click unsubscribe. It renders with both lists empty too; whether to send that is the caller's call.
 */
export function digestMail(input: DigestMail): OutgoingMail {
  const locale = mailLocale(input.locale);
  const words = digestStrings[locale];
  const card = (line: CampaignLine, withProgress: boolean): Block => ({
    type: 'campaign',
    title: line.title,
    summary: line.summary,
    url: line.url,
    action: words.action,
    ...(withProgress ? { progress: progressOf(locale, line) } : {}),
  });
  const body: Block[] = [{ type: 'paragraph', content: words.intro }];
  if (input.opened.length > 0) body.push({ type: 'heading', text: words.opened }, ...input.opened.map((line) => card(line, false)));
  if (input.progress.length > 0) body.push({ type: 'heading', text: words.progress }, ...input.progress.map((line) => card(line, true)));
  if (input.opened.length === 0 && input.progress.length === 0) body.push({ type: 'paragraph', content: words.empty });
  const week = formatPeriod(locale, input.period);
  const { html, text } = renderParts({
    locale,
    label: words.title,
    title: week,
    body,
    footer: { sender: input.sender, reason: words.reason, unsubscribeUrl: input.unsubscribeUrl },
  });
  const subject = singleLine(words.subject(week));
  return { to: singleLine(input.to), subject, text, html, headers: bulkHeaders(input.unsubscribeUrl) };
}
