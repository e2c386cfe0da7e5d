import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { countryCode, emailAddress, locale, multiLine, organisationName, personName, singleLine } from '#shared/domain/fields.ts';

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
    ['an Arabic letter mark', 'Amina\u061C'],
    ['a soft hyphen', 'Ami\u00ADna'],
    ['a word joiner', 'Ami\u2060na'],
    ['an invisible times', 'Ami\u2062na'],
    ['a Mongolian vowel separator', 'Ami\u180Ena'],
    ['a tag character', 'Amina\u{E0041}'],
    ['a lone high surrogate', 'Amina\uD800'],
    ['a lone low surrogate', '\uDC00Amina'],
    ['a private-use character', 'Amina\uE000'],
    ['a supplementary private-use character', 'Amina\u{F0000}'],
    ['a noncharacter', 'Amina\uFFFE'],
    ['a Hangul filler', 'Amina\u3164'],
    ['a Hangul choseong filler', '\u115FAmina'],
    ['a Hangul jungseong filler', 'Ami\u1160na'],
    ['a halfwidth Hangul filler', 'Amina\uFFA0'],
    ['a Braille blank', 'Amina\u2800'],
    ['a combining grapheme joiner', 'Ami\u034Fna'],
    ['a zero-width non-joiner between Latin letters', 'Ami\u200Cna'],
  ])('rejects %s', (_what, value) => {
    expect(name.safeParse(value).success).toBe(false);
  });

  it('says which rule the value broke', () => {
    const result = singleLine(20).safeParse('Amina\u200B');
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: [], message: expect.stringMatching(/zero-width/) })]);
    expect(singleLine(20).safeParse('Amina\uD800').error?.issues[0]?.message).toMatch(/unpaired surrogate/);
  });

  it('refuses fifty stacked combining marks, and keeps a few', () => {
    expect(singleLine(200).safeParse(`A${'\u0301'.repeat(50)}mina`).success).toBe(false);
    // Overlay marks never compose under NFC: five stay five.
    expect(singleLine(200).safeParse('Aq\u0334\u0335\u0336\u0337\u0338mina').success).toBe(false);
    expect(singleLine(200).parse('Aq\u0334\u0335\u0336\u0337mina')).toBe('Aq\u0334\u0335\u0336\u0337mina');
    // Hebrew shin with its dot, dagesh, qamats and meteg: four marks, as real text has.
    expect(singleLine(200).safeParse('\u05E9\u05C1\u05BC\u05B8\u05BD').success).toBe(true);
  });

  it('allows ZWNJ and ZWJ between letters of scripts that join, one at a time', () => {
    expect(name.parse('حسین\u200Cزاده')).toBe('حسین\u200Cزاده');
    expect(name.parse('\u0D9A\u0DCA\u200D\u0DBB')).toBe('\u0D9A\u0DCA\u200D\u0DBB');
    expect(name.parse('\u0915\u094D\u200D\u0937')).toBe('\u0915\u094D\u200D\u0937');
    expect(name.safeParse('حسین\u200C\u200Cزاده').success).toBe(false);
    expect(name.safeParse('حسین\u200C').success).toBe(false);
    expect(name.safeParse('\u200Cحسین').success).toBe(false);
    expect(name.safeParse('حسین\u200C Amina').success).toBe(false);
    expect(name.safeParse('Amina\u200Dحسین').success).toBe(false);
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

  it.each([
    ['a soft hyphen', 'Free\u00ADthem'],
    ['an Arabic letter mark', 'free \u061Cthem'],
    ['a private-use character', 'free \uE000them'],
    ['a lone surrogate', 'free \uD83Dthem'],
    ['a Braille blank', 'free\u2800them'],
    ['fifty stacked marks', `free${'\u0301'.repeat(50)}`],
  ])('rejects %s', (_what, value) => {
    expect(comment.safeParse(value).success).toBe(false);
  });

  it('keeps Persian text with its ZWNJ, and emoji', () => {
    expect(comment.parse('آزادی برای همه\u200Cی زندانیان 🙏')).toBe('آزادی برای همه\u200Cی زندانیان 🙏');
  });

  it('keeps emoji joined by ZWJ (a rainbow flag, a family, a raised fist in a skin tone), and refuses a ZWJ hiding between letters', () => {
    for (const text of ['Solidarity 🏳️\u200d🌈', 'For every 👩\u200d👩\u200d👧 apart', 'Free them ✊🏽\u200d🔥']) expect(comment.parse(text)).toBe(text);
    expect(comment.safeParse('fr\u200dee them').success).toBe(false);
    expect(comment.safeParse('🙂\u200d them').success).toBe(false);
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

/** Real names, as their owners write them: none may be refused. */
const realNames = [
  ['Arabic', 'ناصر الزفزافي'],
  ['Arabic, vocalised', 'مُحَمَّد جَلُّول'],
  ['Persian, with a ZWNJ', 'حسین‌زاده'],
  ['Persian', 'نرگس محمدی'],
  ['Persian compound first name, with a ZWNJ', 'علی‌رضا قلی‌پور'],
  ['Urdu', 'فیض احمد فیض'],
  ['Uyghur', 'ئىلھام توختى'],
  ['Hebrew', 'יוסי כהן'],
  ['Hebrew with niqqud', 'שָׁלוֹם'],
  ['Amazigh (Tifinagh)', 'ⵎⴰⵙⵉⵏⵉⵙⵙⴰ'],
  ['Amazigh (Latin)', 'Ɛli Ɣilas'],
  ['Devanagari', 'सुधा भारद्वाज'],
  ['Devanagari conjuncts', 'आनंद तेलतुंबडे'],
  ['Bengali', 'শহিদুল আলম'],
  ['Tamil', 'முருகன்'],
  ['Sinhala, with a ZWJ', 'ශ්‍රී නාත්'],
  ['Thai', 'อานนท์ นำภา'],
  ['Tibetan', 'བསྟན་འཛིན་'],
  ['Ethiopic', 'እስክንድር ነጋ'],
  ['Georgian', 'მზია ამაღლობელი'],
  ['Armenian', 'Արմեն Սարգսյան'],
  ['Greek', 'Νίκος Ρωμανός'],
  ['Cyrillic', 'Мария Колесникова'],
  ['Chinese', '刘晓波'],
  ['Japanese', '山田 太郎'],
  ['Korean', '김대중'],
  ['Turkish', 'Selahattin Demirtaş'],
  ['Vietnamese', 'Phạm Đoan Trang'],
  ['Vietnamese, decomposed', 'Nguye\u0302\u0303n Va\u0306n \u0110a\u0300i'],
  ['Polish', 'Łukasz Żółć'],
  ['accented Latin', 'José Martí'],
  ['Kikuyu, curly apostrophe', 'Ngũgĩ wa Thiong’o'],
  ['an apostrophe', "Dónal O'Brien"],
  ['hyphens', 'Anne-Marie Lefèvre-Dubois'],
  ['spaced initials', 'J. R. R. Tolkien'],
  ['dotted initials', 'J.R.R. Tolkien'],
  ['an abbreviation', 'St. John'],
  ['a suffix', 'Martin Luther King Jr.'],
  ['a degree', 'Amina Benali, Ph.D.'],
  ['one letter', 'T'],
] as const;

describe('personName: signers and subscribers', () => {
  const name = personName(200);

  it.each(realNames)('accepts a name in %s', (_script, value) => {
    const result = name.safeParse(value);
    expect(result.error?.issues).toBeUndefined();
    expect(result.data).toBe(value.normalize('NFC'));
  });

  it.each([
    ['digits only', '12345'],
    ['punctuation only', '-- ..'],
    ['emoji only', '🙂🙂'],
    ['only Hangul fillers, which Unicode counts as letters', '\u3164\u3164'],
    ['only Braille blanks', '\u2800'],
  ])('needs at least one letter: refuses %s', (_what, value) => {
    expect(name.safeParse(value).success).toBe(false);
  });

  it.each([
    ['an https URL', 'Hello, verify your signature at https://evil.example/verify'],
    ['an http URL', 'Amina http://evil.example'],
    ['another scheme', 'Amina ftp://evil.example'],
    ['www.', 'Amina www.evil.example'],
    ['a bare domain', 'Hello Amina verify at evil.example'],
    ['a domain alone', 'evil.example'],
    ['a capitalised domain', 'Evil.Example'],
    ['a subdomain', 'login.evil.example'],
    ['a shortener with a path', 'Amina bit.ly/x'],
    ['a short domain', 'see t.co'],
    ['an IP address with a path', 'Amina 203.0.113.5/login'],
    ['an IP address with a port', 'Amina 203.0.113.5:8080'],
    ['an email address', 'write to amina@evil.example'],
    ['a punycode domain', 'Amina xn--80ak6aa92e.com'],
    ['an internationalised domain', 'Amina пример.рф'],
    ['ideographic full stops', 'evil\u3002example'],
    ['full-width letters', 'ｅｖｉｌ．ｅｘａｍｐｌｅ'],
    ['no space after an abbreviation', 'Dr.Ahmed'],
  ])('refuses %s', (_what, value) => {
    const result = name.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/web address/);
  });

  it('applies the character rules of every single line', () => {
    expect(name.safeParse('Amina\u202Eilanab').success).toBe(false);
    expect(name.safeParse('Ami\u200Bna').success).toBe(false);
  });
});

describe('organisationName: endorsing organisations', () => {
  const organisation = organisationName(300);

  // Every organisation that endorsed the demo campaigns, as written in the real documents.
  const demoOrganisations = readdirSync('infra/local/demo-campaigns')
    .filter((file) => file.endsWith('.md'))
    .flatMap((file) => [...readFileSync(`infra/local/demo-campaigns/${file}`, 'utf8').matchAll(/^\s*- organisation: "(.+)"$/gmu)].map((m) => m[1] ?? ''));

  it('accepts the names of real organisations', () => {
    expect(demoOrganisations.length).toBeGreaterThan(50);
    const refused = demoOrganisations.filter((value) => !organisation.safeParse(value).success);
    expect(refused).toEqual([]);
  });

  it.each([
    ['a URL', 'Friends of the Rif https://evil.example'],
    ['a domain', 'Change.org'],
    ['no letter', '1234'],
    ['a direction override', 'AMDH\u202E'],
  ])('refuses %s', (_what, value) => {
    expect(organisation.safeParse(value).success).toBe(false);
  });
});
