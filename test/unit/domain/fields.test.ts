import { describe, expect, it } from 'vitest';
import { countryCode, emailAddress, locale, multiLine, singleLine } from '#shared/domain/fields.ts';

describe('countryCode (ISO 3166-1 alpha-2)', () => {
  it.each(['MA', 'TR', 'PS', 'SV'])('accepts %s', (code) => {
    expect(countryCode.safeParse(code)).toMatchObject({ success: true, data: code });
  });

  it.each([
    ['ZZ', 'an unassigned code'],
    ['XX', 'an unassigned code'],
    ['ma', 'lower case'],
    ['Ma', 'mixed case'],
    ['MAR', 'alpha-3'],
    ['TUR', 'alpha-3'],
    ['M', 'one letter'],
    ['12', 'digits'],
    ['504', 'a numeric code'],
    ['', 'nothing'],
  ])('rejects %s (%s) as a validation error, never by throwing', (code) => {
    const result = countryCode.safeParse(code);
    expect(result.success).toBe(false);
  });
});

describe('locale (BCP 47)', () => {
  it.each([
    ['en', 'en'],
    ['EN-gb', 'en-GB'],
    ['fr-ca', 'fr-CA'],
    ['AR', 'ar'],
    ['zh-hant-tw', 'zh-Hant-TW'],
  ])('canonicalises %s to %s', (input, canonical) => {
    expect(locale.parse(input)).toBe(canonical);
  });

  it.each(['', 'x', 'not a locale!', 'en_US', '123', '<script>', 'en-'.padEnd(40, 'x')])('rejects %j', (input) => {
    expect(locale.safeParse(input).success).toBe(false);
  });
});

describe('singleLine: what a person typed on one line', () => {
  const name = singleLine(20);

  it('trims and accepts ordinary text in any script', () => {
    expect(name.parse('  Nasser Zefzafi  ')).toBe('Nasser Zefzafi');
    expect(name.parse('ناصر الزفزافي')).toBe('ناصر الزفزافي');
  });

  it('normalises to NFC, so the same name is stored the same way', () => {
    expect(name.parse('Re\u0301my')).toBe('Rémy');
  });

  it.each([
    ['a line feed', 'Amina\nBenali'],
    ['a carriage return', 'Amina\rBenali'],
    ['a line separator', 'Amina\u2028Benali'],
  ])('rejects %s', (_what, value) => {
    expect(name.safeParse(value).success).toBe(false);
  });

  it.each([
    ['a bell', 'Amina\u0007'],
    ['a NUL', 'Am\u0000ina'],
    ['an escape', '\u001b[31mAmina'],
    ['a C1 control', 'Amina\u0085Benali'],
    ['a right-to-left override', 'Amina \u202Eilanab'],
    ['a left-to-right isolate', 'Amina \u2066x\u2069'],
    ['a zero-width space', 'Ami\u200Bna'],
    ['a zero-width joiner', 'Ami\u200Dna'],
    ['a byte order mark', 'Ami\uFEFFna'],
    ['a tab', 'Amina\tBenali'],
  ])('rejects %s', (_what, value) => {
    expect(name.safeParse(value).success).toBe(false);
  });

  it('enforces its maximum after trimming', () => {
    expect(name.parse(`   ${'a'.repeat(20)}   `)).toHaveLength(20);
    expect(name.safeParse('a'.repeat(21)).success).toBe(false);
  });

  it('is required: empty or only spaces is not a value', () => {
    expect(name.safeParse('').success).toBe(false);
    expect(name.safeParse('    ').success).toBe(false);
  });
});

describe('multiLine: free text', () => {
  const comment = multiLine(60);

  it('allows line breaks and tabs, and normalises CRLF and CR to LF', () => {
    expect(comment.parse('First line\r\nsecond\rthird\n\tfourth')).toBe('First line\nsecond\nthird\n\tfourth');
  });

  it('still rejects direction overrides and controls', () => {
    expect(comment.safeParse('nice \u202Eexe.txt').success).toBe(false);
    expect(comment.safeParse('bell\u0007').success).toBe(false);
  });

  it('enforces its maximum', () => {
    expect(comment.safeParse('a'.repeat(61)).success).toBe(false);
    expect(comment.parse('')).toBe('');
  });
});

describe('emailAddress', () => {
  it('trims and accepts an address', () => {
    expect(emailAddress.parse('  amina@example.org ')).toBe('amina@example.org');
  });

  it.each(['amina', 'amina@', '@example.org', 'amina@example', `${'a'.repeat(250)}@example.org`])('rejects %j', (value) => {
    expect(emailAddress.safeParse(value).success).toBe(false);
  });
});
