import { escapeHtml } from '#shared/http/responses.ts';
import { textDirection, type MailLocale } from '#shared/i18n/locales.ts';
import { commonStrings } from '#shared/i18n/strings/common.ts';
import { mailLink, singleLine } from './text.ts';

/**
 * One layout for every message, rendered twice: an HTML document (inline CSS only, one centred column that
 * narrows on phones, `dir` set for Arabic) and a plain-text part with the same content in the same order.
 * Bodies are blocks of plain text, never HTML: every string is escaped here, so no template can forget to.
 */

/** A run of text, or a value to highlight (bold in HTML, quoted in text), such as a campaign title. */
export type Inline = string | { strong: string };
export type Rich = string | readonly Inline[];

export interface Progress {
  /** The count in words, e.g. "1,234 of 5,000 signatures". */
  label: string;
  /** total / goal, for the bar; null when there is no goal (no bar). */
  ratio: number | null;
}

export type Block =
  /** Line breaks inside a paragraph are kept. `auto`: text of unknown direction (an operator's message). */
  | { type: 'paragraph'; content: Rich; muted?: boolean; auto?: boolean }
  | { type: 'heading'; text: string }
  /** A button to a link; with `fallback`, the bare link under it for clients that hide buttons. */
  | { type: 'button'; label: string; url: string; fallback?: boolean }
  | { type: 'campaign'; title: string; summary: string; url: string; action: string; progress?: Progress };

export interface Footer {
  /** Who sends the mail, e.g. "Tadamon · International Peoples' Assembly". */
  sender: string;
  /** Why the person receives it. */
  reason?: string;
  /** Bulk mail only: the one-click unsubscribe link, also sent as the List-Unsubscribe header. */
  unsubscribeUrl?: string;
  /** Bulk mail only: the preferences page; by default the one the unsubscribe link's token opens (`preferencesUrlFor`). */
  preferencesUrl?: string;
}

/**
 * The preferences page behind an unsubscribe link: the same token under `/preferences/`, so every bulk mail
 * that can unsubscribe can also offer "receive less" without carrying a second secret.
 */
export function preferencesUrlFor(unsubscribeUrl: string): string | undefined {
  const match = /^(.*)\/unsubscribe\/([^/?#]+)$/.exec(unsubscribeUrl);
  return match ? `${match[1]}/preferences/${match[2]}` : undefined;
}

function footerPreferencesUrl(footer: Footer): string | undefined {
  return footer.preferencesUrl ?? (footer.unsubscribeUrl ? preferencesUrlFor(footer.unsubscribeUrl) : undefined);
}

export interface LayoutInput {
  locale: MailLocale;
  title: string;
  /** A small label above the title ("Urgent call"). */
  label?: string;
  body: readonly Block[];
  footer: Footer;
}

const colors = { text: '#1f1f1f', muted: '#5f5f5f', accent: '#b00020', page: '#f4f1ec', card: '#ffffff', line: '#e5e0d8', track: '#e8e2d8' };

function fontStack(locale: MailLocale): string {
  return locale === 'ar'
    ? "Tahoma,'Segoe UI','Noto Naskh Arabic','Noto Sans Arabic',Arial,sans-serif"
    : "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
}

/** Escapes for HTML text or a quoted attribute. */
const h = escapeHtml;

function lines(value: string): string {
  return value.replace(/\r\n?/g, '\n');
}

function inlines(content: Rich): readonly Inline[] {
  return typeof content === 'string' ? [content] : content;
}

function richHtml(content: Rich): string {
  return inlines(content)
    .map((part) =>
      typeof part === 'string' ? h(lines(part)).replace(/\n/g, '<br>') : `<strong dir="auto">${h(singleLine(part.strong))}</strong>`,
    )
    .join('');
}

function richText(locale: MailLocale, content: Rich): string {
  const { quote } = commonStrings[locale];
  return inlines(content)
    .map((part) => (typeof part === 'string' ? lines(part) : quote(singleLine(part.strong))))
    .join('');
}

function progressBarHtml(ratio: number): string {
  const percent = Math.max(0, Math.min(100, Math.round(ratio * 100)));
  const cell = (width: string, color: string) =>
    `<td${width ? ` width="${width}" ` : ' '}style="${width ? `width:${width};` : ''}height:8px;background-color:${color};font-size:0;line-height:0;">&nbsp;</td>`;
  const cells = [percent > 0 ? cell(`${percent}%`, colors.accent) : '', percent < 100 ? cell('', colors.track) : ''].join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;margin:4px 0 8px;"><tr>${cells}</tr></table>`;
}

function blockHtml(locale: MailLocale, block: Block): string {
  switch (block.type) {
    case 'paragraph': {
      const style = block.muted ? `margin:0 0 16px;font-size:14px;color:${colors.muted};` : 'margin:0 0 16px;';
      return `<p${block.auto ? ' dir="auto"' : ''} style="${style}">${richHtml(block.content)}</p>`;
    }
    case 'heading':
      return `<h2 style="margin:28px 0 12px;font-size:18px;line-height:1.3;color:${colors.text};">${h(singleLine(block.text))}</h2>`;
    case 'button': {
      const url = h(mailLink(block.url));
      const button = `<p style="margin:24px 0;"><a href="${url}" style="display:inline-block;padding:12px 22px;background-color:${colors.accent};color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">${h(singleLine(block.label))}</a></p>`;
      if (!block.fallback) return button;
      return `${button}\n<p style="margin:0 0 16px;font-size:13px;color:${colors.muted};">${h(commonStrings[locale].buttonFallback)}<br><a href="${url}" style="color:${colors.accent};word-break:break-all;">${url}</a></p>`;
    }
    case 'campaign': {
      const url = h(mailLink(block.url));
      const progress = block.progress
        ? `${block.progress.ratio === null ? '' : `${progressBarHtml(block.progress.ratio)}\n`}<p style="margin:0 0 8px;font-size:14px;color:${colors.muted};">${h(singleLine(block.progress.label))}</p>`
        : '';
      return [
        `<div style="margin:0 0 16px;padding:16px;border:1px solid ${colors.line};border-radius:6px;">`,
        `<h3 dir="auto" style="margin:0 0 8px;font-size:17px;line-height:1.35;"><a href="${url}" style="color:${colors.text};text-decoration:none;">${h(singleLine(block.title))}</a></h3>`,
        block.summary.trim() ? `<p dir="auto" style="margin:0 0 12px;">${richHtml(block.summary.trim())}</p>` : '',
        progress,
        `<p style="margin:8px 0 0;"><a href="${url}" style="color:${colors.accent};font-weight:bold;">${h(singleLine(block.action))}</a></p>`,
        '</div>',
      ]
        .filter(Boolean)
        .join('\n');
    }
  }
}

function blockText(locale: MailLocale, block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return richText(locale, block.content);
    case 'heading': {
      const text = singleLine(block.text);
      return `${text}\n${'-'.repeat(Math.min(60, Math.max(3, [...text].length)))}`;
    }
    case 'button':
      return `${singleLine(block.label)}${commonStrings[locale].colon}\n${mailLink(block.url)}`;
    case 'campaign':
      return [
        singleLine(block.title),
        block.summary.trim() ? lines(block.summary.trim()) : '',
        block.progress ? singleLine(block.progress.label) : '',
        `${singleLine(block.action)}${commonStrings[locale].colon} ${mailLink(block.url)}`,
      ]
        .filter(Boolean)
        .join('\n');
  }
}

/** The HTML document of a message. */
export function renderLayout(input: LayoutInput): string {
  const { locale, footer } = input;
  const dir = textDirection(locale);
  const words = commonStrings[locale];
  const font = fontStack(locale);
  const title = singleLine(input.title);
  const preferencesUrl = footerPreferencesUrl(footer);
  const footerLink = (url: string, label: string) => `<a href="${h(mailLink(url))}" style="color:${colors.muted};text-decoration:underline;">${h(label)}</a>`;
  const footerParts = [
    `<p dir="auto" style="margin:0 0 6px;font-weight:bold;color:${colors.text};">${h(singleLine(footer.sender))}</p>`,
    footer.reason ? `<p style="margin:0 0 6px;">${h(singleLine(footer.reason))}</p>` : '',
    footer.unsubscribeUrl
      ? `<p style="margin:0;">${[preferencesUrl ? footerLink(preferencesUrl, words.preferences) : '', footerLink(footer.unsubscribeUrl, words.unsubscribe)].filter(Boolean).join(' · ')}</p>`
      : '',
  ].filter(Boolean);
  return `<!doctype html>
<html lang="${locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="format-detection" content="telephone=no">
<title>${h(input.label ? `${singleLine(input.label)}${words.colon} ${title}` : title)}</title>
</head>
<body style="margin:0;padding:0;background-color:${colors.page};">
<div lang="${locale}" dir="${dir}" style="margin:0;padding:24px 8px;background-color:${colors.page};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;margin:0 auto;border-collapse:collapse;background-color:${colors.card};border-radius:6px;">
<tr><td dir="${dir}" style="padding:28px 24px 12px;font-family:${font};font-size:16px;line-height:1.6;color:${colors.text};">
${input.label ? `<p style="margin:0 0 8px;font-size:13px;font-weight:bold;color:${colors.accent};">${h(singleLine(input.label))}</p>\n` : ''}<h1 dir="auto" style="margin:0 0 20px;font-size:22px;line-height:1.3;color:${colors.text};">${h(title)}</h1>
${input.body.map((block) => blockHtml(locale, block)).join('\n')}
</td></tr>
<tr><td dir="${dir}" style="padding:16px 24px 24px;border-top:1px solid ${colors.line};font-family:${font};font-size:13px;line-height:1.5;color:${colors.muted};">
${footerParts.join('\n')}
</td></tr>
</table>
</div>
</body>
</html>
`;
}

/** The plain-text part: the same content, in the same order, with links written out. */
export function renderTextLayout(input: LayoutInput): string {
  const { locale, footer } = input;
  const words = commonStrings[locale];
  const head = [input.label ? singleLine(input.label) : '', singleLine(input.title)].filter(Boolean).join('\n');
  const preferencesUrl = footerPreferencesUrl(footer);
  const foot = [
    singleLine(footer.sender),
    footer.reason ? singleLine(footer.reason) : '',
    preferencesUrl ? `${words.preferencesText}\n${mailLink(preferencesUrl)}` : '',
    footer.unsubscribeUrl ? `${words.unsubscribeText}\n${mailLink(footer.unsubscribeUrl)}` : '',
  ].filter(Boolean);
  // "-- " on a line of its own is the signature separator mail clients recognise.
  return `${[head, ...input.body.map((block) => blockText(locale, block))].join('\n\n')}\n\n-- \n${foot.join('\n')}\n`;
}

/** Both parts of a message. */
export function renderParts(input: LayoutInput): { html: string; text: string } {
  return { html: renderLayout(input), text: renderTextLayout(input) };
}

/** RFC 2369 and RFC 8058 headers of every bulk message: a one-click unsubscribe mail clients can offer. */
export function bulkHeaders(unsubscribeUrl: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${mailLink(unsubscribeUrl)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
