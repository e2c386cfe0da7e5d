import { describe, expect, it } from 'vitest';
import { mailLocales, scriptDirection, textDirection } from '#shared/i18n/locales.ts';
import { widgetStrings, type WidgetStrings } from '#shared/i18n/strings/widget.ts';

/** Every leaf of a strings table, by its path (`errors.name`), functions called with sample values. */
function leaves(table: WidgetStrings): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') found.set(path, value);
    else if (typeof value === 'function') found.set(path, String((value as (...args: string[]) => string)('1,234', '5,000')));
    else for (const [key, inner] of Object.entries(value as object)) walk(inner, path ? `${path}.${key}` : key);
  };
  walk(table, '');
  return found;
}

describe("the widget's strings", () => {
  it('say everything in every locale, with the placeholders the widget fills in', () => {
    const english = leaves(widgetStrings.en);
    for (const locale of mailLocales) {
      const table = leaves(widgetStrings[locale]);
      expect([...table.keys()], locale).toEqual([...english.keys()]);
      for (const [path, text] of table) expect(text.trim(), `${locale} ${path}`).not.toBe('');
      expect(widgetStrings[locale].letterTo, locale).toContain('{target}');
      expect(widgetStrings[locale].count('785', '1,000'), locale).toMatch(/785.*1,000/);
      expect(widgetStrings[locale].count('785', null), locale).not.toContain('null');
      expect(widgetStrings[locale].endorsementsCount('30'), locale).toContain('30');
    }
  });

  it('are translated, not copied from English', () => {
    const english = leaves(widgetStrings.en);
    for (const locale of ['fr', 'es', 'ar'] as const) {
      const same = [...leaves(widgetStrings[locale])].filter(([path, text]) => english.get(path) === text).map(([path]) => path);
      // Words that French spells as English does.
      expect(same, locale).toEqual(locale === 'fr' ? ['endorseLabels.organisation'] : []);
    }
  });
});

describe('scriptDirection: the direction of text in any locale', () => {
  it('knows the right-to-left languages whatever the region, and agrees with textDirection', () => {
    for (const locale of ['ar', 'ar-MA', 'he', 'fa-IR', 'ur', 'ps', 'ckb', 'dv', 'yi', 'AR']) expect(scriptDirection(locale), locale).toBe('rtl');
    for (const locale of ['en', 'fr-CA', 'es-419', 'tr', 'zgh', '', 'arn']) expect(scriptDirection(locale), locale).toBe('ltr');
    for (const locale of mailLocales) expect(scriptDirection(locale)).toBe(textDirection(locale));
  });
});
