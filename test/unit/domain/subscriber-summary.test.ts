import { describe, expect, it } from 'vitest';
import { addToTally, emptyTally, matchesFilter, mergeTallies } from '#shared/domain/subscriber-summary.ts';
import type { Subscriber } from '#shared/domain/subscription.ts';

const subscriber = (fields: Partial<Subscriber>): Subscriber => ({
  key: 'k',
  email: 'x@example.org',
  status: 'confirmed',
  urgent: true,
  digest: 'weekly',
  countries: [],
  topics: [],
  ...fields,
});

describe('which subscribers a filter selects', () => {
  it('takes those who chose the country, and those who chose none (they want everything)', () => {
    expect(matchesFilter(subscriber({ countries: ['MA'] }), { country: 'MA' })).toBe(true);
    expect(matchesFilter(subscriber({ countries: [] }), { country: 'MA' })).toBe(true);
    expect(matchesFilter(subscriber({ countries: ['TR'] }), { country: 'MA' })).toBe(false);
  });

  it('does the same for topics', () => {
    expect(matchesFilter(subscriber({ topics: ['press-freedom'] }), { topic: 'press-freedom' })).toBe(true);
    expect(matchesFilter(subscriber({ topics: [] }), { topic: 'press-freedom' })).toBe(true);
    expect(matchesFilter(subscriber({ topics: ['housing'] }), { topic: 'press-freedom' })).toBe(false);
  });

  it('matches a locale and its regional forms; no locale reads as en', () => {
    expect(matchesFilter(subscriber({ locale: 'fr-BE' }), { locale: 'fr' })).toBe(true);
    expect(matchesFilter(subscriber({ locale: 'fr' }), { locale: 'fr-BE' })).toBe(false);
    expect(matchesFilter(subscriber({}), { locale: 'en' })).toBe(true);
    expect(matchesFilter(subscriber({ locale: 'ar' }), { locale: 'en' })).toBe(false);
  });

  it('takes everyone without filters, and needs every filter given to match', () => {
    expect(matchesFilter(subscriber({ countries: ['TR'] }), {})).toBe(true);
    expect(matchesFilter(subscriber({ countries: ['MA'], locale: 'ar' }), { country: 'MA', locale: 'fr' })).toBe(false);
  });
});

describe('the tally of subscribers', () => {
  it('counts each subscriber once in total, once per chosen country and topic, and "all" for none chosen', () => {
    const tally = emptyTally();
    addToTally(tally, subscriber({ countries: ['MA', 'TR'], topics: ['press-freedom'], locale: 'fr', urgent: false }));
    addToTally(tally, subscriber({ digest: 'none' }));
    expect(tally).toEqual({
      total: 2,
      byStatus: { confirmed: 2 },
      byLocale: { fr: 1, en: 1 },
      byCountry: { MA: 1, TR: 1, all: 1 },
      byTopic: { 'press-freedom': 1, all: 1 },
      urgent: { on: 1, off: 1 },
      digest: { weekly: 1, none: 1 },
    });
  });

  it('adds up the tallies of two parts of a list', () => {
    const a = emptyTally();
    const b = emptyTally();
    addToTally(a, subscriber({ countries: ['MA'] }));
    addToTally(b, subscriber({ countries: ['MA'], urgent: false }));
    addToTally(b, subscriber({ locale: 'ar' }));
    const whole = emptyTally();
    for (const s of [subscriber({ countries: ['MA'] }), subscriber({ countries: ['MA'], urgent: false }), subscriber({ locale: 'ar' })]) addToTally(whole, s);
    expect(mergeTallies(a, b)).toEqual(whole);
  });
});
