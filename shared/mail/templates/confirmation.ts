import { escapeHtml } from '#shared/http/responses.ts';
import type { OutgoingMail } from '../mailer.ts';

export interface ConfirmationMail {
  to: string;
  name: string;
  campaignTitle: string;
  link: string;
  validDays: number;
}

/** Asks a signer to confirm. Every value from a person or a campaign is escaped in the HTML part. */
export function confirmationMail(input: ConfirmationMail): OutgoingMail {
  const subject = `Please confirm your signature: ${input.campaignTitle}`;
  const text = [
    `Hello ${input.name},`,
    '',
    `Thank you for signing "${input.campaignTitle}".`,
    'Your signature counts once you confirm it. Open this link and press the button:',
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
<p>Thank you for signing <strong>${escapeHtml(input.campaignTitle)}</strong>.</p>
<p>Your signature counts once you confirm it.</p>
<p><a href="${escapeHtml(input.link)}" style="display:inline-block;padding:10px 18px;background:#b00020;color:#fff;text-decoration:none;border-radius:4px">Confirm my signature</a></p>
<p style="color:#555">The link works for ${input.validDays} days. If you did not sign, ignore this message: nothing will be recorded.</p>
<p>— Tadamon</p>
</body></html>`;
  return { to: input.to, subject, text, html };
}
