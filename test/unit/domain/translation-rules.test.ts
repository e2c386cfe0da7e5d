import { describe, expect, it } from 'vitest';
import { campaignInputSchema, campaignPatchSchema, localise, translationSchema, type Campaign } from '#shared/domain/campaign.ts';
import { parseTranslationDocument } from '#shared/domain/campaign-document.ts';
import { operatorErasureSchema } from '#shared/http/operator-schemas.ts';

const campaign = (fields: Partial<Campaign>): Campaign =>
  ({
    ...campaignInputSchema.parse({ kind: 'petition', title: 'Free them', summary: 'Their summary.', body: 'Their body.' }),
    slug: 'free-them',
    status: 'open',
    createdAt: '2036-01-01T00:00:00.000Z',
    updatedAt: '2036-01-01T00:00:00.000Z',
    ...fields,
  }) as Campaign;

describe('a translation follows the same rules as its campaign', () => {
  it('needs only a title, as a campaign does', () => {
    expect(translationSchema.parse({ title: 'Libérez-les' })).toEqual({ title: 'Libérez-les' });
    expect(campaignInputSchema.safeParse({ kind: 'petition', title: 'x' }).success).toBe(true);
    expect(translationSchema.safeParse({ summary: 'Sans titre' }).success).toBe(false);
  });

  it('reads a document without body text as a translation without a body', () => {
    expect(parseTranslationDocument('---\ntitle: Libérez-les\n---\n')).toEqual({ title: 'Libérez-les' });
    expect(parseTranslationDocument('---\ntitle: Libérez-les\n---\nLe texte.')).toEqual({ title: 'Libérez-les', body: 'Le texte.' });
  });

  it('serves the campaign text where the translation has none, and the translation where it has one', () => {
    const withTitleOnly = localise(campaign({ translations: { fr: { title: 'Libérez-les' } } }), 'fr');
    expect(withTitleOnly).toMatchObject({ locale: 'fr', title: 'Libérez-les', summary: 'Their summary.', body: 'Their body.' });
    const whole = localise(campaign({ translations: { fr: { title: 'Libérez-les', summary: 'Résumé.', body: 'Texte.' } } }), 'fr');
    expect(whole).toMatchObject({ title: 'Libérez-les', summary: 'Résumé.', body: 'Texte.' });
  });
});

describe('PATCH translations', () => {
  it('takes null for a locale, which removes that translation', () => {
    expect(campaignPatchSchema.parse({ translations: { fr: null } })).toEqual({ translations: { fr: null } });
    expect(campaignPatchSchema.parse({ translations: { fr: { title: 'Libérez-les' } } })).toEqual({ translations: { fr: { title: 'Libérez-les' } } });
  });

  it('still refuses an invalid translation or locale', () => {
    expect(campaignPatchSchema.safeParse({ translations: { fr: { summary: 'no title' } } }).success).toBe(false);
    expect(campaignPatchSchema.safeParse({ translations: { 'not a locale!': null } }).success).toBe(false);
  });
});

describe("an operator's erasure request", () => {
  it('needs an address and a reason', () => {
    expect(operatorErasureSchema.safeParse({ email: 'a@example.org', reason: 'letter of 2036-01-02, ticket 42' }).success).toBe(true);
    expect(operatorErasureSchema.safeParse({ email: 'a@example.org' }).success).toBe(false);
    expect(operatorErasureSchema.safeParse({ email: 'not an address', reason: 'phone call' }).success).toBe(false);
  });

  it('refuses a reason with an email address in it, since the reason outlives the erasure', () => {
    const result = operatorErasureSchema.safeParse({ email: 'a@example.org', reason: 'asked by a@example.org on the phone' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['reason']);
  });
});
