import * as z from 'zod';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** ISO 3166-1 alpha-2, checked against the ICU region list rather than a hand-kept table. */
export const countryCode = z
  .string()
  // abort: Intl.DisplayNames#of throws a RangeError on anything that is not a region subtag ('MAR', '12'),
  // so the lookup must only ever see what the pattern let through.
  .regex(/^[A-Z]{2}$/, { message: 'Use an ISO 3166-1 alpha-2 country code in capitals, such as MA.', abort: true })
  .refine((code) => {
    const name = regionNames.of(code);
    return name !== undefined && name !== code && name !== 'Unknown Region';
  }, 'Not a known ISO 3166-1 alpha-2 country code.');

export const locale = z
  .string()
  .max(35)
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'Use a BCP 47 language tag such as en, fr, es or ar.')
  .transform((tag) => Intl.getCanonicalLocales(tag)[0] ?? tag);

/**
 * Characters that have no place in anything a person types, in any field:
 * - controls (Cc; multi-line fields keep their line feeds and tabs) and format characters (Cf: bidi
 *   marks, overrides and isolates, the Arabic letter mark, soft hyphens, zero-width spaces, joiners and
 *   word joiners, tags…), which hide or reorder text, so that what a reader sees is not what was sent;
 * - private-use characters (Co) and noncharacters, which mean nothing to anyone else;
 * - characters that are not blank but look blank: the Hangul fillers (letters to Unicode, so they would
 *   pass as a name), the Braille blank, the combining grapheme joiner and the Khmer inherent vowels.
 * Lone surrogates are refused apart (isWellFormed): they are not text, and UTF-8 cannot carry them.
 */
// The marks among them (U+034F, U+1160, U+17B4, U+17B5) stand outside the class: in one, a linter would read
// them as combined with the character before.
const invisible = /[\p{Cc}\p{Cf}\p{Co}\p{Noncharacter_Code_Point}\u115f\u2800\u3164\uffa0]|\u034f|\u1160|\u17b4|\u17b5/u;

/**
 * ZWNJ (U+200C) and ZWJ (U+200D) are format characters, but refusing them would refuse real names:
 * Persian, Kurdish and Urdu keyboards put a ZWNJ inside words and names (حسین‌زاده, Hosseinzadeh, keeps
 * its two parts unjoined), and Indic scripts and Sinhala use both to choose a conjunct's form. They are
 * allowed there only: one at a time, between two letters (or a letter's marks) of a script that uses
 * them, where they change how letters join and cannot hide, reorder or pad anything. Anywhere else (in
 * Latin text, at the ends, in runs) they are refused like every other format character.
 */
const joinerInWord =
  /(?<=[[\p{L}\p{M}]&&[\p{scx=Arab}\p{scx=Syrc}\p{scx=Nkoo}\p{scx=Deva}\p{scx=Beng}\p{scx=Guru}\p{scx=Gujr}\p{scx=Orya}\p{scx=Taml}\p{scx=Telu}\p{scx=Knda}\p{scx=Mlym}\p{scx=Sinh}]])[\u200c\u200d](?=[\p{L}&&[\p{scx=Arab}\p{scx=Syrc}\p{scx=Nkoo}\p{scx=Deva}\p{scx=Beng}\p{scx=Guru}\p{scx=Gujr}\p{scx=Orya}\p{scx=Taml}\p{scx=Telu}\p{scx=Knda}\p{scx=Mlym}\p{scx=Sinh}]])/gv;

/**
 * A ZWJ between pictographs makes one emoji of several (🏳️‍🌈, 👩‍👩‍👧): it joins pictures, never letters, so
 * it can neither hide nor reorder text.
 */
const joinerInEmoji = /(?<=\p{Extended_Pictographic}|\u{fe0f}|\p{Emoji_Modifier})\u200d(?=\p{Extended_Pictographic})/gu;

// After NFC, real text stacks at most a few marks on a letter (Vietnamese 1–2, vocalised Arabic or Hebrew
// 2–4); fifty of them ("Zalgo" text) draw over the lines around a name in a mail or a list.
const maxStackedMarks = 4;
const stackedMarks = new RegExp(`\\p{M}{${maxStackedMarks + 1},}`, 'u');
const lineBreaks = /[\r\n\u2028\u2029]/u;

const invisibleMessage = 'Control, formatting, private-use and invisible characters (such as direction marks or zero-width spaces) are not allowed.';

const unpairedSurrogate = 'Not valid Unicode text: it holds half of a character (an unpaired surrogate).';

/** Whether text holds only characters people read, once the joiners words need are taken out. */
function readable(text: string): boolean {
  return !invisible.test(text.replace(joinerInWord, '').replace(joinerInEmoji, ''));
}

/** A single line a person typed: names, organisations, subjects. Never a place for line breaks or controls. */
export function singleLine(max: number, min = 1) {
  return z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? 'Required.' : `At least ${min} characters.`)
        .max(max, `At most ${max} characters.`)
        .refine((s) => !lineBreaks.test(s), { message: 'Line breaks are not allowed here.', abort: true })
        .refine((s) => s.isWellFormed(), { message: unpairedSurrogate, abort: true })
        .refine(readable, { message: invisibleMessage, abort: true })
        .refine((s) => !stackedMarks.test(s), { message: `At most ${maxStackedMarks} accents or marks on one letter.`, abort: true }),
    );
}

/** Free text that may span lines (comments, bodies, letters). */
export function multiLine(max: number, min = 0) {
  return z
    .string()
    .transform((s) => s.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(min)
        .max(max, `At most ${max} characters.`)
        .refine((s) => s.isWellFormed(), { message: unpairedSurrogate, abort: true })
        .refine((s) => readable(s.replace(/[\n\t]/g, ' ')), { message: invisibleMessage, abort: true })
        .refine((s) => !stackedMarks.test(s), { message: `At most ${maxStackedMarks} accents or marks on one letter.`, abort: true }),
    );
}

/**
 * A web address in a name would arrive in mail sent from the organisation's own domain ("Hello Amina,
 * verify at evil.example"), where mail clients turn it into a link. A name is refused if it holds a
 * scheme (`https://`), `www.`, or a dotted token that ends in a label of two or more letters, as a
 * host name does (`evil.example`, `t.co`; with a path or port, any dotted token: `bit.ly/x`). What
 * people write in names stays allowed: initials and abbreviations followed by a space (`J. R. R.
 * Tolkien`, `St. John`), dotted initials ending in one letter (`J.R.R. Tolkien`, `Ph.D.`), numbers
 * (`Web 2.0`). `A.Smith` or `Dr.Ahmed` without the space are refused, with a message saying to add it:
 * no rule without a list of every top-level domain could tell them from `X.Com` or `m.sc`. Full-width
 * letters and ideographic full stops count as what they look like (NFKC), since mail clients link
 * `evil。example` too.
 */
function holdsWebAddress(text: string): boolean {
  const folded = text.normalize('NFKC').replace(/[\u3002\uff0e\uff61]/gu, '.');
  if (/[a-z][a-z0-9+.-]*:\/\/|(?<![\p{L}\p{N}])www\d{0,3}\./iu.test(folded)) return true;
  for (const match of folded.matchAll(/(?<![\p{L}\p{M}\p{N}.-])[\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)+/gu)) {
    const after = folded.slice((match.index ?? 0) + match[0].length);
    // A path or port makes any dotted token an address: bit.ly/x, 203.0.113.5:8080.
    if (/^(?:\/|:\d)/u.test(after)) return true;
    if (/^(?:\p{L}[\p{L}\p{M}]+|xn--[a-z0-9-]+)$/iu.test(match[0].split('.').at(-1) ?? '')) return true;
  }
  return false;
}

function nameOf(what: 'person' | 'organisation', max: number) {
  return singleLine(max).pipe(
    z
      .string()
      .refine((s) => /\p{L}/u.test(s), { message: 'A name needs at least one letter.', abort: true })
      .refine((s) => !holdsWebAddress(s), {
        message:
          what === 'person'
            ? 'A name cannot contain a web address or domain name. After an initial or abbreviation, put a space (J. Smith).'
            : 'An organisation name cannot contain a web address or domain name; give the site as website.',
        abort: true,
      }),
  );
}

/** A person's name, as signers and subscribers give it: shown in lists and exports, and greeted in mail. */
export const personName = (max: number) => nameOf('person', max);

/** An organisation's name, as endorsements give it: listed publicly and greeted in mail. */
export const organisationName = (max: number) => nameOf('organisation', max);

/** A campaign topic, also what a subscriber follows: a slug-like word or words. */
export const topic = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Topics are lower-case words joined by hyphens.').max(50);

export const emailAddress = z
  .string()
  .trim()
  .max(254, 'At most 254 characters.')
  .pipe(z.email('Not a valid email address.'));

export const isoDateTime = z.iso.datetime({ offset: true, message: 'Use an ISO 8601 date and time, such as 2026-11-21T12:00:00Z.' })
  .transform((s) => new Date(s).toISOString());
