import { escapeHtml } from '#shared/http/responses.ts';
import type { OutgoingMail } from '../mailer.ts';

export interface ConfirmationMail {
  to: string;
  /** What the link confirms: a person's signature, or an organisation's endorsement. */
  action: 'signature' | 'endorsement';
  name: string;
  campaignTitle: string;
  link: string;
  validDays: number;
}

const wording = {
  signature: {
    subject: 'Please confirm your signature',
    thanks: 'Thank you for signing',
    counts: 'Your signature counts once you confirm it.',
    button: 'Confirm my signature',
  },
  endorsement: {
    subject: 'Please confirm your organisation’s endorsement',
    thanks: 'Thank you for endorsing, on behalf of your organisation,',
    counts: 'Once you confirm, our team reviews the endorsement before it is listed.',
    button: 'Confirm the endorsement',
  },
};

/** Asks a signer or an organisation's contact to confirm. Every value from a person or a campaign is escaped in the HTML part. */
export function confirmationMail(input: ConfirmationMail): OutgoingMail {
  const words = wording[input.action];
  const subject = `${words.subject}: ${input.campaignTitle}`;
  const text = [
    `Hello ${input.name},`,
    '',
    `${words.thanks} "${input.campaignTitle}".`,
    `${words.counts} Open this link and press the button:`,
    '',
    input.link,
    '',
    `The link works for ${input.validDays} days. If you did not sign, ignore this message: nothing will be recorded.`,
    '',
    '— Tadamon',
  ].join('\n');
  const html = `<!doctype html>
<html lang="en"><body style="font-family:sans-serif;line-height:1.5">
<p>Hello ${escapeHtml(input.name)},</p>
<p>${escapeHtml(words.thanks)} <strong>${escapeHtml(input.campaignTitle)}</strong>.</p>
<p>${escapeHtml(words.counts)}</p>
<p><a href="${escapeHtml(input.link)}" style="display:inline-block;padding:10px 18px;background:#b00020;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(words.button)}</a></p>
<p style="color:#555">The link works for ${input.validDays} days. If you did not sign, ignore this message: nothing will be recorded.</p>
<p>— Tadamon</p>
</body></html>`;
  return { to: input.to, subject, text, html };
}
