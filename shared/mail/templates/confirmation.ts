import type { OutgoingMail } from '../mailer.ts';
import { formatNumber, mailLocale } from '#shared/i18n/locales.ts';
import { renderParts } from './layout.ts';
import { commonStrings } from '#shared/i18n/strings/common.ts';
import { confirmationStrings, type ConfirmationAction } from '#shared/i18n/strings/confirmation.ts';
import { singleLine } from './text.ts';

export type { ConfirmationAction } from '#shared/i18n/strings/confirmation.ts';

export interface ConfirmationMail {
  to: string;
  /** What the link confirms: a signature, an organisation's endorsement, a subscription, or erasing a person's data. */
  action: ConfirmationAction;
  /** The signer's or organisation's name; subscriptions and erasure requests may have none. */
  name?: string;
  /** The campaign signed or endorsed; subscriptions and erasure concern none. */
  campaignTitle?: string;
  /** `{PUBLIC_URL}/confirm/{token}`: opens a page whose button confirms. */
  link: string;
  validDays: number;
  /** The recipient's BCP 47 locale; English when no template exists for it. */
  locale?: string;
  /** Who the mail is from, in the footer. */
  sender?: string;
}

/**
 * Asks a person to confirm what they asked for. Not bulk mail: no List-Unsubscribe.
 * Every value from a person or a campaign is escaped in the HTML part and kept on its line in the text part.
 */
export function confirmationMail(input: ConfirmationMail): OutgoingMail {
  const locale = mailLocale(input.locale);
  const strings = confirmationStrings[locale];
  const words = strings.actions[input.action];
  const name = input.name === undefined ? '' : singleLine(input.name);
  const campaignTitle = input.campaignTitle === undefined ? '' : singleLine(input.campaignTitle);
  const subject = singleLine(campaignTitle ? `${words.subject}${commonStrings[locale].colon} ${campaignTitle}` : words.subject);
  const { html, text } = renderParts({
    locale,
    title: words.subject,
    body: [
      { type: 'paragraph', content: commonStrings[locale].greeting(name || undefined) },
      { type: 'paragraph', content: words.intro(campaignTitle || undefined) },
      { type: 'paragraph', content: `${words.effect} ${strings.howTo}` },
      { type: 'button', label: words.button, url: input.link, fallback: true },
      { type: 'paragraph', content: strings.validity(input.validDays, formatNumber(locale, input.validDays)), muted: true },
      { type: 'paragraph', content: words.ignore, muted: true },
    ],
    footer: { sender: input.sender ?? 'Tadamon' },
  });
  return { to: singleLine(input.to), subject, text, html };
}
