import XMLBuilder from 'fast-xml-builder';
import { localise, type Campaign } from './campaign.ts';
import { pageUrlFor } from './campaign-page-url.ts';

/** The feed shows at most this many campaigns: the newest. */
export const feedSize = 50;

export const atomContentType = 'application/atom+xml; charset=utf-8';

const atomNamespace = 'http://www.w3.org/2005/Atom';

/**
 * Ids are tag URIs (RFC 4151) under the project's own name, qualified by the deployment's host, so they
 * are stable for a deployment (whatever the title or locale) and two deployments never share one.
 */
const tagPrefix = 'tag:tadamon.org,2026:';

const defaultTitle = 'Tadamon: open campaigns';
const feedTitles: Partial<Record<string, string>> = {
  en: defaultTitle,
  fr: 'Tadamon : campagnes en cours',
  es: 'Tadamon: campañas abiertas',
  ar: 'تضامن: الحملات المفتوحة',
};

// Characters XML 1.0 does not allow at all (escaping cannot help): C0 controls but tab, LF and CR, lone
// surrogates, U+FFFE and U+FFFF. The schemas keep them out of campaigns; this keeps the feed well-formed anyway.
const notXml = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const xmlText = (value: string) => value.replace(notXml, '');

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  // Escapes & < > ' " in text and attributes; no CDATA sections anywhere.
  processEntities: true,
  suppressEmptyNode: true,
  format: true,
  indentBy: '  ',
});

export interface FeedOptions {
  /** PUBLIC_URL: the feed's own id; each entry links to its campaign's page (campaign-page-url.ts). */
  baseUrl: string;
  /** CAMPAIGN_PAGE_URL, when the stage sets one. */
  pageUrlTemplate?: string | undefined;
  /** BCP 47: texts are served in it where a campaign has a translation. */
  locale?: string | undefined;
}

/**
 * An Atom 1.0 (RFC 4287) feed of the given campaigns, in the given order. A pure function: listing and
 * choosing the campaigns is the caller's. Public campaign texts only; nothing about signers.
 */
export function campaignFeed(campaigns: readonly Campaign[], { baseUrl, locale, pageUrlTemplate }: FeedOptions): string {
  const base = baseUrl.replace(/\/+$/, '');
  const host = tagSafe(new URL(base).host);
  const query = locale ? `?locale=${encodeURIComponent(xmlText(locale))}` : '';
  const language = locale ?? 'en';
  const title = feedTitles[language] ?? feedTitles[language.split('-')[0] ?? ''];
  // The newest change of any entry; a feed with no entries has not changed since the epoch.
  const updated = campaigns.reduce((latest, c) => Math.max(latest, Date.parse(c.updatedAt) || 0), 0);

  const entries = campaigns.map((campaign) => {
    const c = localise(campaign, locale);
    return {
      // The entry's own language: a campaign without a translation stays in its original one.
      '@xml:lang': xmlText(c.locale),
      id: `${tagPrefix}${host}:campaign:${tagSafe(c.slug)}`,
      title: { '@type': 'text', '#text': xmlText(c.title) },
      // A page a person can read (never the JSON of GET /campaigns/{slug}), in the feed's language.
      link: { '@rel': 'alternate', '@type': 'text/html', '@href': xmlText(pageUrlFor(campaign, locale, { baseUrl: base, template: pageUrlTemplate })) },
      updated: isoTime(c.updatedAt),
      ...(c.summary ? { summary: { '@type': 'text', '#text': xmlText(c.summary) } } : {}),
    };
  });

  return builder.build({
    '?xml': { '@version': '1.0', '@encoding': 'utf-8' },
    feed: {
      '@xmlns': atomNamespace,
      '@xml:lang': xmlText(language),
      id: `${tagPrefix}${host}:feed${locale ? `:${tagSafe(locale)}` : ''}`,
      // Untranslated, the title says in which language it is.
      title: { '@type': 'text', ...(title ? {} : { '@xml:lang': 'en' }), '#text': title ?? defaultTitle },
      link: { '@rel': 'self', '@type': 'application/atom+xml', '@href': xmlText(`${base}/feed.atom${query}`) },
      updated: new Date(updated).toISOString(),
      author: { name: 'Tadamon' },
      entry: entries,
    },
  });
}

function isoTime(value: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? new Date(0).toISOString() : new Date(time).toISOString();
}

/** What a tag URI's specific part may hold (RFC 4151: pchar, "/" and "?"); anything else percent-encoded. */
function tagSafe(value: string): string {
  return xmlText(value).replace(/[^A-Za-z0-9._~:@!$&'()*+,;=/?-]/gu, (c) => encodeURIComponent(c));
}
