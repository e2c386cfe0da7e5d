import { describe, expect, it } from 'vitest';
import { describeChange, fieldChanges, keptFields, translationChanges } from '#shared/domain/campaign-changes.ts';
import type { Campaign } from '#shared/domain/campaign.ts';

const stored = {
  slug: 'free-them',
  kind: 'petition',
  title: 'Free them',
  summary: 'Short.',
  body: 'Line one\nLine two',
  demands: ['Release', 'Drop charges'],
  locale: 'en',
  translations: { fr: { title: 'Libérez-les' } },
  countries: ['MA'],
  topics: [],
  urgent: false,
  goal: 1000,
  status: 'open',
  createdAt: '2036-01-01T00:00:00.000Z',
  updatedAt: '2036-01-01T00:00:00.000Z',
} as unknown as Campaign;

describe('what `campaign update` would change', () => {
  it('lists only the fields whose values differ, arrays compared by value', () => {
    const changes = fieldChanges(stored as unknown as Record<string, unknown>, {
      kind: 'petition',
      title: 'Free them now',
      demands: ['Release', 'Drop charges'],
      countries: ['MA', 'TR'],
      topics: [],
      urgent: false,
    });
    expect(changes).toEqual([
      { field: 'title', from: 'Free them', to: 'Free them now' },
      { field: 'countries', from: ['MA'], to: ['MA', 'TR'] },
    ]);
  });

  it('is empty when the document matches the campaign', () => {
    expect(fieldChanges(stored as unknown as Record<string, unknown>, { title: 'Free them', body: 'Line one\nLine two', goal: 1000 })).toEqual([]);
  });

  it('names optional fields the document leaves out, which a PATCH keeps', () => {
    expect(keptFields(stored, { title: 'x' }, ['target', 'goal', 'closesAt'])).toEqual(['goal']);
    expect(keptFields(stored, { title: 'x', goal: 5 }, ['target', 'goal'])).toEqual([]);
  });

  it('compares a translation field by field, treating an absent translation as all new', () => {
    expect(translationChanges({ title: 'Libérez-les' }, { title: 'Libérez-les' })).toEqual([]);
    expect(translationChanges({ title: 'Libérez-les' }, { title: 'Libérez-les', summary: 'Court.' }).map((c) => c.field)).toEqual(['summary']);
    expect(translationChanges(undefined, { title: 'Libérenlos' }).map((c) => c.field)).toEqual(['title']);
  });

  it('describes long texts by size and first changed line rather than printing them', () => {
    expect(describeChange({ field: 'body', from: 'Line one\nLine two', to: 'Line one\nLine 2, longer' })).toBe('body: 17 → 23 characters, from line 2: "Line 2, longer"');
    expect(describeChange({ field: 'summary', from: undefined, to: 'New.' })).toBe('summary: none → 4 characters, from line 1: "New."');
    expect(describeChange({ field: 'countries', from: ['MA'], to: [] })).toBe('countries: MA → (none)');
    expect(describeChange({ field: 'goal', from: undefined, to: 500 })).toBe('goal: (not set) → 500');
  });
});
