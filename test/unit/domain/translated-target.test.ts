import { describe, expect, it } from 'vitest';
import { campaignInputSchema, campaignPatchSchema, localise, type Campaign } from '#shared/domain/campaign.ts';

describe("a campaign's target, translated like its other fields", () => {
  const input = campaignInputSchema.parse({
    kind: 'petition',
    title: 'Free the journalists',
    target: 'The Minister of Justice',
    translations: { fr: { title: 'Libérez les journalistes', target: 'Le ministre de la Justice' }, ar: { title: 'الحرية للصحفيين' } },
  });
  const campaign = { ...input, slug: 'free', status: 'open', createdAt: '2036-01-01T00:00:00.000Z', updatedAt: '2036-01-01T00:00:00.000Z' } as unknown as Campaign;

  it('is served in the translation that has it, and in the campaign\u2019s own words where it has none', () => {
    expect(localise(campaign, 'fr').target).toBe('Le ministre de la Justice');
    expect(localise(campaign, 'fr-CA').target).toBe('Le ministre de la Justice');
    expect(localise(campaign, 'ar').target).toBe('The Minister of Justice');
    expect(localise(campaign, 'en').target).toBe('The Minister of Justice');
  });

  it('is one line of at most 300 characters, in a campaign or a patch', () => {
    expect(campaignInputSchema.safeParse({ kind: 'petition', title: 'T', translations: { fr: { title: 'T', target: 'a\nb' } } }).success).toBe(false);
    expect(campaignPatchSchema.safeParse({ translations: { fr: { title: 'T', target: 'x'.repeat(301) } } }).success).toBe(false);
    expect(campaignPatchSchema.safeParse({ translations: { es: { title: 'T', target: 'El ministro de Justicia' } } }).success).toBe(true);
  });
});
