import type { OutgoingMail } from '../mailer.ts';
import { formatNumber } from '#shared/i18n/locales.ts';
import { renderParts } from './layout.ts';
import { singleLine } from './text.ts';

export interface MilestoneMail {
  /** An operator's address. */
  to: string;
  campaignTitle: string;
  threshold: number;
  total: number;
  url: string;
}

/** Tells operators a campaign passed a milestone. English only; not bulk mail. */
export function milestoneMail(input: MilestoneMail): OutgoingMail {
  const title = singleLine(input.campaignTitle);
  const threshold = formatNumber('en', input.threshold);
  const total = formatNumber('en', input.total);
  const subject = singleLine(`Milestone reached: ${title} passed ${threshold} signatures`);
  const { html, text } = renderParts({
    locale: 'en',
    label: 'Milestone',
    title: `${threshold} signatures`,
    body: [
      { type: 'paragraph', content: [{ strong: title }, ` now has ${total} signatures, past the milestone of ${threshold}.`] },
      { type: 'paragraph', content: 'A good moment to thank the signers, tell partner organisations and share the campaign again.' },
      { type: 'button', label: 'Open the campaign', url: input.url },
    ],
    footer: { sender: 'Tadamon', reason: 'Sent to the operators of this campaign.' },
  });
  return { to: singleLine(input.to), subject, text, html };
}
