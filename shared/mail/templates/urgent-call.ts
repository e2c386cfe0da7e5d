import type { OutgoingMail } from '../mailer.ts';
import { mailLocale } from '#shared/i18n/locales.ts';
import { bulkHeaders, renderParts, type Block } from './layout.ts';
import { urgentCallStrings } from '#shared/i18n/strings/urgent-call.ts';
import { singleLine, splitParagraphs } from './text.ts';

export interface UrgentCallMail {
  to: string;
  /** The recipient's BCP 47 locale; English when no template exists for it. */
  locale?: string;
  /** The operator's subject: one line, whatever was typed. */
  subject: string;
  /** The operator's message, plain text; blank lines separate paragraphs. */
  message: string;
  campaign: { title: string; summary: string; url: string };
  /** `{PUBLIC_URL}/unsubscribe/{token}`. */
  unsubscribeUrl: string;
  /** Who the mail is from, e.g. "Tadamon · International Peoples' Assembly". */
  sender: string;
}

/** An operator's urgent call to subscribers: bulk mail, with one-click unsubscribe in its headers and footer. */
export function urgentCallMail(input: UrgentCallMail): OutgoingMail {
  const locale = mailLocale(input.locale);
  const words = urgentCallStrings[locale];
  const subject = singleLine(input.subject);
  const message: Block[] = splitParagraphs(input.message).map((paragraph) => ({ type: 'paragraph', content: paragraph, auto: true }));
  const { html, text } = renderParts({
    locale,
    label: words.label,
    title: subject,
    body: [
      ...message,
      { type: 'campaign', title: input.campaign.title, summary: input.campaign.summary, url: input.campaign.url, action: words.action },
    ],
    footer: { sender: input.sender, reason: words.reason, unsubscribeUrl: input.unsubscribeUrl },
  });
  return { to: singleLine(input.to), subject, text, html, headers: bulkHeaders(input.unsubscribeUrl) };
}
