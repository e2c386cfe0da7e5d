import { describe, expect, it } from 'vitest';
import { signatureSubmittedSchema } from '#events/signature-submitted.ts';
import { signatureRequestSchema } from '#shared/domain/signature.ts';

const request = { name: 'Amina El Idrissi', email: 'amina@example.org', country: 'MA' };
const issues = (detail: unknown) => (signatureSubmittedSchema.safeParse(detail).error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.code]);

describe('the SignatureSubmitted contract', () => {
  it('is the signing request and the campaign slug, with the same defaults', () => {
    expect(signatureSubmittedSchema.parse({ slug: 'free-nasser-zefzafi', ...request })).toEqual({ slug: 'free-nasser-zefzafi', ...request, public: false, subscribe: false });
    const full = { ...request, public: true, subscribe: true, locale: 'ar', postcode: '20000', comment: 'Free him', source: { utm_source: 'partner-site' } };
    expect(signatureSubmittedSchema.parse({ slug: 's', ...full, idempotencyKey: 'a'.repeat(16) })).toEqual({ slug: 's', ...signatureRequestSchema.parse(full), idempotencyKey: 'a'.repeat(16) });
  });

  it("takes the request's rules from its schema rather than copies of them", () => {
    for (const bad of [{ email: 'not an address' }, { country: 'ma' }, { name: '' }, { locale: 'not a locale!' }, { source: { utm_term: 'x' } }, { comment: 'x'.repeat(1001) }]) {
      const detail = { slug: 's', ...request, ...bad };
      expect(signatureSubmittedSchema.safeParse(detail).success, JSON.stringify(bad)).toBe(false);
      expect(signatureRequestSchema.safeParse({ ...request, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('has no anti-abuse fields and no fields of its own beyond the slug and the key, and no source account', () => {
    expect(issues({ slug: 's', ...request, website: '' })).toEqual([['', 'unrecognized_keys']]);
    expect(issues({ slug: 's', ...request, captchaToken: 'x' })).toEqual([['', 'unrecognized_keys']]);
    // The account is EventBridge's `account`: a detail cannot name one, in its source or anywhere else.
    expect(issues({ slug: 's', ...request, source: { account: '111122223333' } })).toEqual([['source', 'unrecognized_keys']]);
    expect(issues({ slug: 's', ...request, account: '111122223333' })).toEqual([['', 'unrecognized_keys']]);
  });

  it('needs a campaign slug, and a key that is a key, not an address', () => {
    expect(issues(request)).toEqual([['slug', 'invalid_type']]);
    expect(issues({ slug: 'Not A Slug', ...request })).toEqual([['slug', 'invalid_format']]);
    for (const key of ['short', 'amina@example.org-0000000000', 'x'.repeat(129), 'with spaces in it here']) {
      expect(issues({ slug: 's', ...request, idempotencyKey: key }), key).toEqual([['idempotencyKey', 'invalid_format']]);
    }
  });
});
