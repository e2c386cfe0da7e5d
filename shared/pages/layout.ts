import { textDirection, mailLocale, type MailLocale } from '#shared/i18n/locales.ts';
import { pageStrings } from '#shared/i18n/strings/pages.ts';
import { escapeHtml } from '#shared/http/responses.ts';

/**
 * The one frame of every HTML page a person meets: campaign and front pages, and the pages behind the links
 * we mail (confirm, thanks, unsubscribe, preferences, erasure). Script-free and self-contained (inline CSS),
 * so it works in any browser, under a strict CSP, and weighs little on a slow connection.
 */

export interface PageInput {
  /** The page's locale: any BCP 47 tag; text and direction follow its language (shared/i18n). */
  locale: string;
  title: string;
  /** Already-escaped HTML of the page's main content. */
  body: string;
  /** One line for search results and link previews. */
  description?: string;
  /** Already-escaped extra `<head>` content: canonical link, `hreflang` alternates, Open Graph meta. */
  head?: string;
  /** Pages behind personal links must never be indexed; public campaign pages may be. */
  indexable?: boolean;
}

/** Calm, legible, system fonts only; logical properties so right-to-left pages lay out the same way mirrored. */
export const pageStyle = `*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,sans-serif;max-width:44rem;margin:0 auto;padding:1.5rem 1rem 3rem;line-height:1.6;color:#1a1a1a;background:#fff}
a{color:#0b5394}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f4b400;outline-offset:2px}
h1{line-height:1.25;margin-block:1rem .5rem}h2{margin-block-start:2rem}
button,.button{font:inherit;font-size:1.05rem;padding:.6rem 1.4rem;border:0;border-radius:.3rem;background:#0b5394;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
.muted{color:#555}.skip{position:absolute;inset-inline-start:-999px}.skip:focus{inset-inline-start:1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
ul.share{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}ul.share a{display:inline-block;padding:.3rem .7rem;border:1px solid #0b5394;border-radius:.3rem;text-decoration:none}
footer{margin-block-start:3rem;font-size:.9rem;color:#555}`;

export function renderPage(input: PageInput): string {
  const locale = mailLocale(input.locale);
  const t = pageStrings[locale];
  const description = input.description ? `<meta name="description" content="${escapeHtml(input.description)}">` : '';
  return `<!doctype html><html lang="${escapeHtml(input.locale)}" dir="${textDirection(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="${input.indexable ? 'index,follow' : 'noindex'}"><title>${escapeHtml(input.title)} · ${escapeHtml(t.siteName)}</title>${description}${input.head ?? ''}
<style>${pageStyle}</style>
</head><body><a class="skip" href="#main">${escapeHtml(t.skipToContent)}</a><main id="main">${input.body}</main><footer>${escapeHtml(t.footer)}</footer></body></html>`;
}

/** The page locale behind a tag: for callers that pick strings themselves. */
export function pageLocale(locale: string | undefined): MailLocale {
  return mailLocale(locale);
}
