import { describe, expect, it } from 'vitest';
import { takesEndorsements, takesSignatures } from '#shared/domain/campaign.ts';
import { endorsementRequestSchema } from '#shared/domain/endorsement.ts';

const base = { organisation: 'Rabat Rights', country: 'MA', email: 'contact@example.org' };

describe("an endorsement's contact name and language", () => {
  it('are optional, trimmed and canonical', () => {
    expect(endorsementRequestSchema.parse(base)).toEqual(base);
    expect(endorsementRequestSchema.parse({ ...base, contactName: '  Salma El Idrissi ', locale: 'AR-ma' })).toEqual({ ...base, contactName: 'Salma El Idrissi', locale: 'ar-MA' });
    // A name in its own script, with the joiner Persian writes inside words.
    expect(endorsementRequestSchema.parse({ ...base, contactName: 'حسین‌زاده' }).contactName).toBe('حسین‌زاده');
  });

  it.each([
    ['a line break', { contactName: 'Salma\nEl Idrissi' }],
    ['more than 200 characters', { contactName: 'S'.repeat(201) }],
    ['nothing but spaces', { contactName: '   ' }],
    ['a hidden direction override', { contactName: 'Salma\u202e' }],
    ['a language tag that is not one', { locale: 'not a locale' }],
  ])('refuse %s', (_, extra) => {
    const result = endorsementRequestSchema.safeParse({ ...base, ...extra });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([Object.keys(extra)[0]]);
  });
});

describe('who a campaign takes: only what the operator set is refused', () => {
  it.each([
    [{ kind: 'petition' as const }, true, true],
    [{ kind: 'appeal' as const }, true, true],
    [{ kind: 'petition' as const, signers: 'people' as const }, true, false],
    [{ kind: 'appeal' as const, signers: 'organisations' as const }, false, true],
    [{ kind: 'statement' as const }, true, true],
    [{ kind: 'statement' as const, signers: 'organisations' as const }, false, true],
    [{ kind: 'statement' as const, signers: 'people' as const }, true, false],
    [{ kind: 'petition' as const, signers: 'both' as const }, true, true],
  ])('%o: signatures %s, endorsements %s', (campaign, signatures, endorsements) => {
    expect(takesSignatures(campaign)).toBe(signatures);
    expect(takesEndorsements(campaign)).toBe(endorsements);
  });
});
