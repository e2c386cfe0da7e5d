import { intlLocale, type MailLocale } from '#shared/i18n/locales.ts';

const englishRegions = new Intl.DisplayNames(['en'], { type: 'region' });
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Every ISO 3166-1 alpha-2 code ICU knows a name for, the same test the signature schema applies
 * (shared/domain/fields.ts `countryCode`): the form offers exactly what the API accepts.
 */
const codes: readonly string[] = [...letters].flatMap((a) => [...letters].map((b) => `${a}${b}`)).filter((code) => {
  const name = englishRegions.of(code);
  return name !== undefined && name !== code && name !== 'Unknown Region';
});

const byLocale = new Map<MailLocale, { code: string; name: string }[]>();

/** The countries, named and sorted in the reader's language. */
export function countryOptions(locale: MailLocale): readonly { code: string; name: string }[] {
  let options = byLocale.get(locale);
  if (!options) {
    const names = new Intl.DisplayNames([intlLocale(locale)], { type: 'region' });
    const collator = new Intl.Collator(intlLocale(locale));
    options = codes.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) => collator.compare(a.name, b.name));
    byLocale.set(locale, options);
  }
  return options;
}
