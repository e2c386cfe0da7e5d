import { describe, expect, it } from 'vitest';
import { formatPeriod } from '#shared/mail/templates/digest.ts';
import { formatNumber, mailLocale, textDirection } from '#shared/i18n/locales.ts';
import { mailLink, singleLine, splitParagraphs } from '#shared/mail/templates/text.ts';

describe('mailLocale: the template locale for a BCP 47 tag', () => {
  it('keeps the supported languages', () => {
    for (const locale of ['en', 'fr', 'es', 'ar'] as const) expect(mailLocale(locale)).toBe(locale);
  });

  it('picks by language subtag, whatever the region, script or case', () => {
    expect(mailLocale('fr-CA')).toBe('fr');
    expect(mailLocale('es-419')).toBe('es');
    expect(mailLocale('ar-MA')).toBe('ar');
    expect(mailLocale('AR')).toBe('ar');
    expect(mailLocale('en_GB')).toBe('en');
    expect(mailLocale(' fr ')).toBe('fr');
  });

  it('falls back to English for unknown, empty or missing locales', () => {
    for (const locale of ['xx', 'de-DE', 'tr', '', 'frr', 'f', undefined]) expect(mailLocale(locale)).toBe('en');
  });

  it('writes only Arabic right to left', () => {
    expect(textDirection('ar')).toBe('rtl');
    for (const locale of ['en', 'fr', 'es'] as const) expect(textDirection(locale)).toBe('ltr');
  });
});

describe('numbers and weeks in the reader’s locale', () => {
  it('groups digits the way each language does', () => {
    expect(formatNumber('en', 1234)).toBe('1,234');
    expect(formatNumber('fr', 1234)).toMatch(/^1\s234$/u);
    expect(formatNumber('es', 12345)).toBe('12.345');
    expect(formatNumber('ar', 5000)).toMatch(/5.?000|٥.?٠٠٠/u);
  });

  it('turns an ISO week into its Monday-to-Sunday dates', () => {
    expect(formatPeriod('en', '2026-W47')).toMatch(/^16\s?–\s?22 November 2026$/u);
    expect(formatPeriod('fr', '2026-W47')).toBe('16–22 novembre 2026');
    expect(formatPeriod('es', '2026-W47')).toContain('noviembre de 2026');
    expect(formatPeriod('ar', '2026-W47')).toContain('نوفمبر');
    // Week 1 of 2026 starts on Monday 29 December 2025; week 53 of 2026 ends on Sunday 3 January 2027.
    expect(formatPeriod('en', '2026-W01')).toMatch(/^29 December 2025\s–\s4 January 2026$/u);
    expect(formatPeriod('en', '2026-W53')).toMatch(/^28 December 2026\s–\s3 January 2027$/u);
  });

  it('shows anything that is not an ISO week as given, on one line', () => {
    expect(formatPeriod('en', 'late\r\nNovember')).toBe('late November');
    expect(formatPeriod('en', '2026-W99')).toBe('2026-W99');
  });
});

describe('text that stays in its place', () => {
  it('collapses CR, LF and other control characters of single-line values to one space', () => {
    expect(singleLine('Amina\r\nBcc: evil@example.org')).toBe('Amina Bcc: evil@example.org');
    expect(singleLine(' a \n\n\t b\u2028c\u0000d ')).toBe('a b c d');
    expect(singleLine('Free\rthem\u0085now')).toBe('Free them now');
  });

  it('splits free text into paragraphs on blank lines and keeps single line breaks', () => {
    expect(splitParagraphs('One\r\ntwo\r\n\r\n\r\nThree  \n \nFour\r')).toEqual(['One\ntwo', 'Three', 'Four']);
    expect(splitParagraphs(' \n\n ')).toEqual([]);
  });

  it('links only absolute http(s) URLs that cannot break out of a header', () => {
    expect(mailLink('https://tadamon.example/unsubscribe/abc?x=1&y=2')).toBe('https://tadamon.example/unsubscribe/abc?x=1&y=2');
    for (const url of ['javascript:alert(1)', 'data:text/html,x', '/relative', 'https://a.example/x>', 'https://a.example/\r\nBcc: x', 'https://a.example/ x']) {
      expect(() => mailLink(url)).toThrow(TypeError);
    }
  });
});
