/** The locales mail templates exist in. Anything else falls back to English. */
export const mailLocales = ['en', 'fr', 'es', 'ar'] as const;

export type MailLocale = (typeof mailLocales)[number];

/** A value per mail locale: every dictionary must cover all of them. */
export type Localized<T> = Readonly<Record<MailLocale, T>>;

function isMailLocale(value: string): value is MailLocale {
  return (mailLocales as readonly string[]).includes(value);
}

/**
 * The template locale for a BCP 47 tag, by its language subtag: `fr-CA` → `fr`, `AR` → `ar`.
 * Unknown, empty or missing tags give `en`.
 */
export function mailLocale(locale?: string): MailLocale {
  const language = locale?.trim().split(/[-_]/)[0]?.toLowerCase() ?? '';
  return isMailLocale(language) ? language : 'en';
}

export function textDirection(locale: MailLocale): 'rtl' | 'ltr' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}

/** Languages written right to left, by BCP 47 language subtag: Arabic, Hebrew, Persian, Urdu, Pashto, Sorani, Dhivehi, Yiddish. */
const rightToLeftLanguages: readonly string[] = ['ar', 'he', 'fa', 'ur', 'ps', 'ckb', 'dv', 'yi'];

/**
 * The direction of text in any BCP 47 locale (`fa-IR` → `rtl`), for texts that may come in languages the
 * strings are not translated into, such as a campaign's own; `textDirection` agrees with it on every mail locale.
 */
export function scriptDirection(locale: string): 'rtl' | 'ltr' {
  return rightToLeftLanguages.includes(locale.trim().split(/[-_]/)[0]?.toLowerCase() ?? '') ? 'rtl' : 'ltr';
}

/** The tag given to Intl: English mail is written in British English, so its dates read "16–22 November 2026". */
const intlTags: Localized<string> = { en: 'en-GB', fr: 'fr', es: 'es', ar: 'ar' };

export function intlLocale(locale: MailLocale): string {
  return intlTags[locale];
}

/** 1234 → "1,234" (en), "1 234" (fr), "1234" / "12.345" (es), "1,234" (ar). */
export function formatNumber(locale: MailLocale, value: number): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(value);
}
