import { z } from 'zod';

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

// C0/C1 controls and the bidi overrides/isolates and zero-width marks that can disguise a name.
// eslint-disable-next-line no-control-regex
const invisibleOrControl = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;
const lineBreaks = /[\r\n\u2028\u2029]/u;

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
        .refine((s) => !lineBreaks.test(s), 'Line breaks are not allowed here.')
        .refine((s) => !invisibleOrControl.test(s), 'Control, direction-override and zero-width characters are not allowed.'),
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
        .refine((s) => !invisibleOrControl.test(s.replace(/[\t]/g, '')), 'Control and direction-override characters are not allowed.'),
    );
}

/** A campaign topic, also what a subscriber follows: a slug-like word or words. */
export const topic = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Topics are lower-case words joined by hyphens.').max(50);

export const emailAddress = z
  .string()
  .trim()
  .max(254, 'At most 254 characters.')
  .pipe(z.email('Not a valid email address.'));

export const isoDateTime = z.iso.datetime({ offset: true, message: 'Use an ISO 8601 date and time, such as 2026-11-21T12:00:00Z.' })
  .transform((s) => new Date(s).toISOString());
