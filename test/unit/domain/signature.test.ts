import { describe, expect, it } from 'vitest';
import { signatureInputSchema } from '#shared/domain/signature.ts';

const valid = { name: 'Amina Benali', email: 'amina@example.org', country: 'MA' };

const issuePaths = (value: unknown) => {
  const result = signatureInputSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

describe('signatureInputSchema: what a signer sends', () => {
  it('accepts name, email and country, and defaults public and subscribe to false', () => {
    expect(signatureInputSchema.parse(valid)).toEqual({ ...valid, public: false, subscribe: false });
  });

  it('keeps the optional fields it is given', () => {
    const parsed = signatureInputSchema.parse({ ...valid, postcode: ' 20000 ', comment: 'Free them all.\nNow.', public: true, subscribe: true, locale: 'ar' });
    expect(parsed).toMatchObject({ postcode: '20000', comment: 'Free them all.\nNow.', public: true, subscribe: true, locale: 'ar' });
  });

  it.each(['name', 'email', 'country'])('requires %s', (field) => {
    const { [field as keyof typeof valid]: _left, ...rest } = valid;
    expect(issuePaths(rest)).toEqual([field]);
  });

  it.each(['not-an-address', 'amina@', 'amina@example', 'amina example.org'])('rejects the email %j on the email field', (email) => {
    expect(issuePaths({ ...valid, email })).toEqual(['email']);
  });

  it('rejects a country that is not ISO alpha-2 on the country field', () => {
    expect(issuePaths({ ...valid, country: 'MAR' })).toEqual(['country']);
    expect(issuePaths({ ...valid, country: 'ZZ' })).toEqual(['country']);
  });

  it('rejects a name over 200 characters, and one with a direction override', () => {
    expect(issuePaths({ ...valid, name: 'a'.repeat(201) })).toEqual(['name']);
    expect(issuePaths({ ...valid, name: 'Amina \u202Eilanab' })).toEqual(['name']);
  });

  it('limits postcode and comment', () => {
    expect(issuePaths({ ...valid, postcode: '1'.repeat(21) })).toEqual(['postcode']);
    expect(issuePaths({ ...valid, comment: 'x'.repeat(1001) })).toEqual(['comment']);
  });

  it('wants real booleans for public and subscribe', () => {
    expect(issuePaths({ ...valid, public: 'yes' })).toEqual(['public']);
    expect(issuePaths({ ...valid, subscribe: 1 })).toEqual(['subscribe']);
  });

  it('rejects fields it does not know, such as a status a signer would like to set', () => {
    const result = signatureInputSchema.safeParse({ ...valid, status: 'confirmed' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['status'] });
  });
});
