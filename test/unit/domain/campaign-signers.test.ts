import { describe, expect, it } from 'vitest';
import { campaignInputSchema, campaignPatchSchema, signersOf } from '#shared/domain/campaign.ts';

describe('who a campaign gathers (signers)', () => {
  it('defaults by kind: statements take people and organisations, petitions and appeals people', () => {
    expect(signersOf(campaignInputSchema.parse({ kind: 'statement', title: 'A declaration' }))).toBe('both');
    expect(signersOf(campaignInputSchema.parse({ kind: 'petition', title: 'A petition' }))).toBe('people');
    expect(signersOf(campaignInputSchema.parse({ kind: 'appeal', title: 'An appeal' }))).toBe('people');
  });

  it('follows what the campaign says, and refuses anything else', () => {
    const organisationsOnly = campaignInputSchema.parse({ kind: 'statement', title: 'A declaration', signers: 'organisations' });
    expect(signersOf(organisationsOnly)).toBe('organisations');
    expect(signersOf(campaignInputSchema.parse({ kind: 'petition', title: 'A petition', signers: 'both' }))).toBe('both');
    const refused = campaignInputSchema.safeParse({ kind: 'statement', title: 'A declaration', signers: 'everyone' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['signers']);
    // Unset stays unset (the default is read, not stored), and a patch may set it alone.
    expect('signers' in campaignInputSchema.parse({ kind: 'statement', title: 'A declaration' })).toBe(false);
    expect(campaignPatchSchema.parse({ signers: 'people' })).toEqual({ signers: 'people' });
  });
});
