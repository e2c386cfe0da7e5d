/**
 * Which language a page is shown in: `?locale=` when the reader chose one, else the best of the browser's
 * `Accept-Language` (RFC 9110 §12.5.4: quality values, `*`, language ranges) among the languages the page
 * exists in, else the page's own. A campaign exists in its own locale and in each of its translations; the
 * front page in the languages of the string tables.
 */

interface Range {
  tag: string;
  q: number;
  order: number;
}

function ranges(header: string | undefined): Range[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20) // a browser sends a handful; a hostile header is not worth parsing whole
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((r) => r.tag !== '' && r.q > 0 && r.q <= 1)
    .sort((a, b) => b.q - a.q || a.order - b.order);
}

const language = (tag: string) => tag.toLowerCase().split(/[-_]/)[0] ?? '';

/** The offered locale a requested tag stands for: the same tag, else the same language. */
function offeredFor(tag: string, offered: readonly string[]): string | undefined {
  return offered.find((o) => o.toLowerCase() === tag.toLowerCase()) ?? offered.find((o) => language(o) === language(tag));
}

export interface LocaleRequest {
  /** `?locale=`: the reader's explicit choice, where the page exists in it. */
  query?: string | undefined;
  acceptLanguage?: string | undefined;
}

/**
 * `offered`: the languages the content exists in; `alsoShown`: languages the page's own words exist in, where
 * the content then stays in its original language (a reader of French gets French buttons on an English text).
 */
export function negotiateLocale(request: LocaleRequest, offered: readonly string[], fallback: string, alsoShown: readonly string[] = []): string {
  if (request.query) return offeredFor(request.query, offered) ?? offeredFor(request.query, alsoShown) ?? fallback;
  const wanted = ranges(request.acceptLanguage);
  for (const candidates of [offered, alsoShown]) {
    for (const range of wanted) {
      if (range.tag === '*') return fallback;
      const match = offeredFor(range.tag, candidates);
      if (match) return match;
    }
  }
  return fallback;
}

/** The request's Accept-Language header, however the gateway spelled its name. */
export function acceptLanguageOf(headers: Readonly<Record<string, string | undefined>> | undefined): string | undefined {
  return headers?.['accept-language'] ?? headers?.['Accept-Language'];
}
