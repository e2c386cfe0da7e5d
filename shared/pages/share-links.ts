import { mailLocale } from '#shared/i18n/locales.ts';
import { pageStrings } from '#shared/i18n/strings/pages.ts';
import { escapeHtml } from '#shared/http/responses.ts';

/**
 * Share links as plain links: no third-party script, no tracking pixel, nothing loaded from the networks
 * until the person clicks. Each network's public "share a URL" address, filled with the page's URL and title.
 */

export interface ShareTarget {
  url: string;
  title: string;
  locale: string;
}

export function shareLinks({ url, title, locale }: ShareTarget): { network: string; href: string }[] {
  const u = encodeURIComponent(url);
  const text = encodeURIComponent(title);
  const both = encodeURIComponent(`${title} ${url}`);
  return [
    { network: pageStrings[mailLocale(locale)].shareByEmail, href: `mailto:?subject=${text}&body=${u}` },
    { network: 'WhatsApp', href: `https://wa.me/?text=${both}` },
    { network: 'Telegram', href: `https://t.me/share/url?url=${u}&text=${text}` },
    { network: 'X', href: `https://x.com/intent/post?url=${u}&text=${text}` },
    { network: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { network: 'Bluesky', href: `https://bsky.app/intent/compose?text=${both}` },
  ];
}

/** The share block: the URL in a read-only field to copy (works without script), then one link per network. */
export function renderShareLinks(target: ShareTarget): string {
  const t = pageStrings[mailLocale(target.locale)];
  const links = shareLinks(target)
    .map(({ network, href }) => `<li><a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">${escapeHtml(network)}</a></li>`)
    .join('');
  return `<section aria-labelledby="share-heading"><h2 id="share-heading">${escapeHtml(t.shareHeading)}</h2>
<label>${escapeHtml(t.copyLink)} <input type="url" readonly value="${escapeHtml(target.url)}" dir="ltr" size="40"></label>
<ul class="share">${links}</ul></section>`;
}
