/**
 * Helpers that keep person- and campaign-supplied text in its place: a single-line value never breaks a
 * line (or a header), a multi-line value becomes paragraphs, and only absolute http(s) links are linked.
 */

// C0 controls (CR, LF, TAB, NUL…), DEL, NEL and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const lineBreaking = /[\s\u0000-\u001f\u007f\u0085\u2028\u2029]*[\u0000-\u001f\u007f\u0085\u2028\u2029][\s\u0000-\u001f\u007f\u0085\u2028\u2029]*/g;

/** For names, titles and subjects: every run of line breaks and other control characters becomes one space. */
export function singleLine(value: string): string {
  return value.replace(lineBreaking, ' ').trim();
}

/**
 * For free text such as an operator's message: CRLF and lone CR become LF, other control characters
 * become spaces, and blank lines separate paragraphs. Single line breaks inside a paragraph are kept.
 */
export function splitParagraphs(value: string): string[] {
  return (
    value
      .replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ')
      .split(/\n[ \t]*\n\s*/)
      .map((paragraph) =>
        paragraph
          .split('\n')
          .map((line) => line.trimEnd())
          .join('\n')
          .trim(),
      )
      .filter((paragraph) => paragraph.length > 0)
  );
}

/**
 * A link a mail may carry: an absolute http(s) URL, printable ASCII only, so it can neither break out of an
 * angle-bracketed header nor smuggle `javascript:` into an href. Returned unchanged; anything else throws.
 */
export function mailLink(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Not an absolute URL for a mail link: ${JSON.stringify(url)}`);
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || !/^[\x21-\x7e]+$/.test(url) || /[<>"]/.test(url)) {
    throw new TypeError(`Not an http(s) URL fit for a mail link: ${JSON.stringify(url)}`);
  }
  return url;
}
