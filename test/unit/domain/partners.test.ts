import { describe, expect, it } from 'vitest';
import { campaignInputSchema, campaignPatchSchema } from '#shared/domain/campaign.ts';
import { consentsGiven, maxPartners, optInText, partnerSchema, publicPartner, unknownPartners, type Partner } from '#shared/domain/partners.ts';
import { signatureRequestSchema } from '#shared/domain/signature.ts';

const amdh: Partner = { id: 'amdh', name: 'AMDH', website: 'https://amdh.example.org', optIn: { ar: 'أوافق على أن تراسلني الجمعية' } };
const ipa: Partner = { id: 'peoples-assembly', name: "International Peoples' Assembly" };
const campaign = { partners: [amdh, ipa] };

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success ? [] : result.error!.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

describe('a campaign names its partner organisations', () => {
  const withPartners = (partners: unknown) => campaignInputSchema.safeParse({ kind: 'statement', title: 'Free them all', partners });

  it('takes an id, a name, an https website and opt-in texts by locale, and keeps them', () => {
    const parsed = campaignInputSchema.parse({ kind: 'statement', title: 'Free them all', partners: [amdh, ipa] });
    expect(parsed.partners).toEqual([amdh, ipa]);
  });

  it('has no partners unless it names some', () => {
    expect(campaignInputSchema.parse({ kind: 'statement', title: 'Free them all' }).partners).toBeUndefined();
  });

  it.each(['Amdh', '-amdh', 'amdh_ma', 'a'.repeat(41), '', 'amdh ma'])('refuses the id %j on its field', (id) => {
    expect(issues(withPartners([{ id, name: 'AMDH' }])).map((i) => i.path)).toEqual(['partners.0.id']);
  });

  it('takes an id of 40 characters, digits first', () => {
    expect(withPartners([{ id: `9${'a'.repeat(39)}`, name: 'AMDH' }]).success).toBe(true);
  });

  it('refuses the same id twice, naming the second', () => {
    expect(issues(withPartners([{ id: 'amdh', name: 'AMDH' }, { id: 'amdh', name: 'Another' }]))).toEqual([
      { path: 'partners.1.id', message: '"amdh" is already a partner of this campaign.' },
    ]);
  });

  it(`refuses more than ${maxPartners} partners`, () => {
    const many = Array.from({ length: maxPartners + 1 }, (_, i) => ({ id: `p${i}`, name: `Partner ${i}` }));
    expect(withPartners(many.slice(0, maxPartners)).success).toBe(true);
    expect(issues(withPartners(many)).map((i) => i.path)).toEqual(['partners']);
  });

  it('refuses a website that is not https, a name holding a web address, and an opt-in text with a line break', () => {
    expect(issues(withPartners([{ id: 'a', name: 'A', website: 'http://a.example.org' }])).map((i) => i.path)).toEqual(['partners.0.website']);
    expect(issues(withPartners([{ id: 'a', name: 'Visit evil.example' }])).map((i) => i.path)).toEqual(['partners.0.name']);
    expect(issues(withPartners([{ id: 'a', name: 'A', optIn: { fr: 'Oui\nnon' } }])).map((i) => i.path)).toEqual(['partners.0.optIn.fr']);
    expect(partnerSchema.safeParse({ id: 'a', name: 'A', optIn: { 'not a locale!': 'x' } }).success).toBe(false);
    const texts = (n: number) => Object.fromEntries(['en', 'fr', 'es', 'ar', 'de', 'it', 'pt', 'tr', 'fa', 'ku', 'nl'].slice(0, n).map((l) => [l, `Text ${l}`]));
    expect(partnerSchema.safeParse({ id: 'a', name: 'A', optIn: texts(10) }).success).toBe(true);
    expect(issues(withPartners([{ id: 'a', name: 'A', optIn: texts(11) }])).map((i) => i.path)).toEqual(['partners.0.optIn']);
  });

  it('can be changed by PATCH like any other field, and removed with an empty list', () => {
    expect(campaignPatchSchema.parse({ partners: [ipa] })).toEqual({ partners: [ipa] });
    expect(campaignPatchSchema.parse({ partners: [] })).toEqual({ partners: [] });
    expect(campaignPatchSchema.safeParse({ partners: [ipa, ipa] }).success).toBe(false);
  });
});

describe('the opt-in text beside each box', () => {
  it('is "Keep me informed by {name}" in English, and its translation in French, Spanish and Arabic', () => {
    expect(optInText(ipa, 'en')).toBe("Keep me informed by International Peoples' Assembly");
    expect(optInText(ipa, 'fr')).toBe("Je souhaite être tenu·e informé·e par International Peoples' Assembly");
    expect(optInText(ipa, 'es')).toBe("Quiero que International Peoples' Assembly me mantenga informado/a");
    expect(optInText(ipa, 'ar')).toBe("أوافق على أن تبقيني International Peoples' Assembly على اطلاع");
  });

  it("is the campaign's own text where it gives one for the language, or for its base language", () => {
    expect(optInText(amdh, 'ar')).toBe('أوافق على أن تراسلني الجمعية');
    expect(optInText(amdh, 'ar-MA')).toBe('أوافق على أن تراسلني الجمعية');
    expect(optInText(amdh, 'fr')).toBe('Je souhaite être tenu·e informé·e par AMDH');
    // A language without strings of its own falls back to English, as every page does.
    expect(optInText(amdh, 'de')).toBe('Keep me informed by AMDH');
  });

  it('is given by the public API in every widget language, and in any other the campaign wrote', () => {
    const de = { ...amdh, optIn: { ...amdh.optIn, de: 'Haltet mich auf dem Laufenden' } };
    expect(publicPartner(de)).toEqual({
      id: 'amdh',
      name: 'AMDH',
      website: 'https://amdh.example.org',
      optIn: {
        en: 'Keep me informed by AMDH',
        fr: 'Je souhaite être tenu·e informé·e par AMDH',
        es: 'Quiero que AMDH me mantenga informado/a',
        ar: 'أوافق على أن تراسلني الجمعية',
        de: 'Haltet mich auf dem Laufenden',
      },
    });
    expect(publicPartner(ipa)).not.toHaveProperty('website');
  });
});

describe('what a signer sends', () => {
  const valid = { name: 'Amina Benali', email: 'amina@example.org', country: 'MA' };

  it('may name partners by id; a repeated id counts once', () => {
    expect(signatureRequestSchema.parse({ ...valid, partners: ['amdh', 'peoples-assembly', 'amdh'] }).partners).toEqual(['amdh', 'peoples-assembly']);
    expect(signatureRequestSchema.parse(valid).partners).toBeUndefined();
  });

  it('refuses ids that cannot be partners, on the partners field', () => {
    const result = signatureRequestSchema.safeParse({ ...valid, partners: ['AMDH'] });
    expect(issues(result).map((i) => i.path)).toEqual(['partners.0']);
    expect(issues(signatureRequestSchema.safeParse({ ...valid, partners: 'amdh' })).map((i) => i.path)).toEqual(['partners']);
    expect(issues(signatureRequestSchema.safeParse({ ...valid, partners: Array.from({ length: 11 }, (_, i) => `p${i}`) })).map((i) => i.path)).toEqual(['partners']);
  });

  it("finds the ids that are not the campaign's partners", () => {
    expect(unknownPartners(campaign, ['amdh', 'nobody', 'peoples-assembly'])).toEqual(['nobody']);
    expect(unknownPartners({}, ['amdh'])).toEqual(['amdh']);
    expect(unknownPartners(campaign, undefined)).toEqual([]);
  });

  it('gives one consent per partner chosen, with the time, the text shown in the given language and that language', () => {
    const at = '2036-03-01T10:00:00.000Z';
    expect(consentsGiven(campaign, ['amdh', 'peoples-assembly'], 'ar', at)).toEqual({
      amdh: { at, text: 'أوافق على أن تراسلني الجمعية', locale: 'ar' },
      'peoples-assembly': { at, text: "أوافق على أن تبقيني International Peoples' Assembly على اطلاع", locale: 'ar' },
    });
    expect(consentsGiven(campaign, ['amdh'], 'en', at)).toEqual({ amdh: { at, text: 'Keep me informed by AMDH', locale: 'en' } });
    expect(consentsGiven(campaign, [], 'en', at)).toBeUndefined();
    expect(consentsGiven(campaign, undefined, 'en', at)).toBeUndefined();
  });
});
