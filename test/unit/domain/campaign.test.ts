import { describe, expect, it } from 'vitest';
import {
  acceptsSignatures,
  campaignInputSchema,
  campaignPatchSchema,
  localise,
  slugFromTitle,
  type Campaign,
} from '#shared/domain/campaign.ts';

const minimal = { kind: 'petition', title: 'Free Nasser Zefzafi' } as const;

function campaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    ...campaignInputSchema.parse({
      ...minimal,
      summary: 'Release him.',
      body: 'He is in prison for protesting.',
      demands: ['Release him now'],
      letter: 'Your Excellency,',
      translations: {
        fr: { title: 'Libérez Nasser Zefzafi', summary: 'Libérez-le.', body: 'Il est en prison.', demands: ['Libérez-le maintenant'] },
        ar: { title: 'الحرية لناصر الزفزافي', summary: 'أطلقوا سراحه.', body: 'إنه في السجن.', letter: 'صاحب الجلالة،' },
      },
    }),
    slug: 'free-nasser-zefzafi',
    status: 'open',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  } as Campaign;
}

describe('campaignInputSchema: what an operator sends to create a campaign', () => {
  it('fills in defaults for what was left out', () => {
    expect(campaignInputSchema.parse(minimal)).toEqual({
      kind: 'petition',
      title: 'Free Nasser Zefzafi',
      summary: '',
      body: '',
      demands: [],
      locale: 'en',
      translations: {},
      countries: [],
      topics: [],
      urgent: false,
    });
  });

  it('keeps what was given, canonicalising locales and dates', () => {
    const parsed = campaignInputSchema.parse({
      ...minimal,
      slug: 'zefzafi',
      locale: 'FR',
      countries: ['MA'],
      topics: ['political-prisoners'],
      goal: 1000,
      urgent: true,
      opensAt: '2026-03-01T12:00:00+01:00',
    });
    expect(parsed).toMatchObject({ slug: 'zefzafi', locale: 'fr', countries: ['MA'], goal: 1000, urgent: true, opensAt: '2026-03-01T11:00:00.000Z' });
  });

  it('requires a kind and a title', () => {
    const result = campaignInputSchema.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['kind', 'title']));
  });

  it('rejects unknown fields rather than dropping them', () => {
    const result = campaignInputSchema.safeParse({ ...minimal, status: 'open' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['status'] });
  });

  it('rejects a __proto__ key from a JSON body', () => {
    const body = JSON.parse('{"kind":"petition","title":"x","__proto__":{"admin":true}}') as unknown;
    const result = campaignInputSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['__proto__'] });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('rejects closesAt before or at opensAt, on the closesAt field', () => {
    for (const closesAt of ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z']) {
      const result = campaignInputSchema.safeParse({ ...minimal, opensAt: '2026-03-01T00:00:00Z', closesAt });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['closesAt']);
    }
    expect(campaignInputSchema.safeParse({ ...minimal, opensAt: '2026-03-01T00:00:00Z', closesAt: '2026-03-01T00:00:01Z' }).success).toBe(true);
  });

  it('compares instants, not the strings as typed', () => {
    // 10:00 in Casablanca (+01:00) is 09:00Z: before 09:30Z, although the string "10:00" sorts after "09:30".
    const result = campaignInputSchema.safeParse({ ...minimal, opensAt: '2026-03-01T10:00:00+01:00', closesAt: '2026-03-01T09:30:00Z' });
    expect(result.success).toBe(true);
  });

  it('rejects an invalid slug, an unknown kind and a bad country', () => {
    expect(campaignInputSchema.safeParse({ ...minimal, slug: 'Not A Slug' }).success).toBe(false);
    expect(campaignInputSchema.safeParse({ ...minimal, slug: 'a'.repeat(81) }).success).toBe(false);
    expect(campaignInputSchema.safeParse({ ...minimal, kind: 'poll' }).success).toBe(false);
    expect(campaignInputSchema.safeParse({ ...minimal, countries: ['MAR'] }).success).toBe(false);
  });

  it('checks translations: known locales only, no unknown fields', () => {
    expect(campaignInputSchema.safeParse({ ...minimal, translations: { 'not a locale': { title: 't', summary: '', body: '' } } }).success).toBe(false);
    expect(campaignInputSchema.safeParse({ ...minimal, translations: { fr: { title: 't', summary: '', body: '', slug: 'x' } } }).success).toBe(false);
  });
});

describe('campaignPatchSchema: what an operator sends to change a campaign', () => {
  it('rejects an empty patch', () => {
    const result = campaignPatchSchema.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/at least one field/);
  });

  it('leaves out what the operator left out: no defaults are filled in', () => {
    expect(campaignPatchSchema.parse({ title: 'A new title' })).toEqual({ title: 'A new title' });
    expect(campaignPatchSchema.parse({ urgent: true })).toEqual({ urgent: true });
  });

  it('validates the fields it is given as creation does', () => {
    expect(campaignPatchSchema.parse({ locale: 'EN-gb', countries: ['TR'] })).toEqual({ locale: 'en-GB', countries: ['TR'] });
    expect(campaignPatchSchema.safeParse({ title: 'two\nlines' }).success).toBe(false);
    expect(campaignPatchSchema.safeParse({ goal: -1 }).success).toBe(false);
  });

  it.each([
    ['slug', { slug: 'another-slug' }],
    ['status', { status: 'open' }],
    ['createdAt', { createdAt: '2026-01-01T00:00:00Z' }],
  ])('does not accept %s, which the server owns', (_field, patch) => {
    const result = campaignPatchSchema.safeParse({ title: 'ok', ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys' });
  });
});

describe('slugFromTitle', () => {
  it('makes a lower-case ASCII slug', () => {
    expect(slugFromTitle('Urge Morocco to free Nasser Zefzafi!')).toBe('urge-morocco-to-free-nasser-zefzafi');
  });

  it('transliterates accents', () => {
    expect(slugFromTitle('Déclaration de Casablanca sur le génocide')).toBe('declaration-de-casablanca-sur-le-genocide');
  });

  it('transliterates Arabic and Cyrillic into ASCII', () => {
    for (const title of ['إطلاق سراح جميع المعتقلين السياسيين', 'Свобода политзаключённым']) {
      const slug = slugFromTitle(title);
      expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(slug.length).toBeGreaterThan(5);
    }
  });

  it('is never empty, even when nothing transliterates', () => {
    for (const title of ['!!!', '', '   ', '🙂🙂', '中文']) expect(slugFromTitle(title)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('is at most 80 characters and never ends with a hyphen', () => {
    for (const title of ['a'.repeat(200), 'word '.repeat(40), `${'x'.repeat(79)} y`]) {
      const slug = slugFromTitle(title);
      expect(slug.length).toBeLessThanOrEqual(80);
      expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});

describe('localise', () => {
  it('serves the translated fields for a translated locale', () => {
    const fr = localise(campaign(), 'fr');
    expect(fr).toMatchObject({ locale: 'fr', title: 'Libérez Nasser Zefzafi', summary: 'Libérez-le.', body: 'Il est en prison.', demands: ['Libérez-le maintenant'] });
  });

  it('keeps base-locale fields the translation does not have', () => {
    const fr = localise(campaign(), 'fr');
    expect(fr.letter).toBe('Your Excellency,');
    const ar = localise(campaign(), 'ar');
    expect(ar.letter).toBe('صاحب الجلالة،');
    expect(ar.demands).toEqual(['Release him now']);
  });

  it('falls back from a regional locale to its language: fr-CA reads fr', () => {
    expect(localise(campaign(), 'fr-CA').title).toBe('Libérez Nasser Zefzafi');
  });

  it('falls back to the base locale when there is no translation', () => {
    const base = campaign();
    for (const requested of ['es', 'de-CH', undefined, 'en']) {
      expect(localise(base, requested).title).toBe('Free Nasser Zefzafi');
      expect(localise(base, requested).locale).toBe('en');
    }
  });

  it('does not change the stored campaign', () => {
    const base = campaign();
    localise(base, 'fr');
    expect(base.title).toBe('Free Nasser Zefzafi');
  });
});

describe('acceptsSignatures', () => {
  const at = new Date('2026-06-01T12:00:00Z');

  it('accepts signatures for an open campaign', () => {
    expect(acceptsSignatures(campaign(), at)).toBe(true);
    expect(acceptsSignatures(campaign({ closesAt: '2026-06-01T12:00:01.000Z' }), at)).toBe(true);
  });

  it('refuses drafts and closed campaigns', () => {
    expect(acceptsSignatures(campaign({ status: 'draft' }), at)).toBe(false);
    expect(acceptsSignatures(campaign({ status: 'closed' }), at)).toBe(false);
  });

  it('refuses an open campaign once closesAt has come', () => {
    expect(acceptsSignatures(campaign({ closesAt: '2026-06-01T12:00:00.000Z' }), at)).toBe(false);
    expect(acceptsSignatures(campaign({ closesAt: '2026-05-01T00:00:00.000Z' }), at)).toBe(false);
  });
});
