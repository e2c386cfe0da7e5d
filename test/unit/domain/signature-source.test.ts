import { describe, expect, it } from 'vitest';
import { signatureInputSchema } from '#shared/domain/signature.ts';
import { parseSourceAttribute, referrerHost, sourceAttribute, sourceOf, sourceText, storedSource } from '#shared/domain/signature-source.ts';

const signer = { name: 'Salma', email: 'salma@example.org', country: 'MA' };

describe('signature sources', () => {
  it('accepts short single-line utm fields and ref, and nothing else', () => {
    const parsed = signatureInputSchema.parse({ ...signer, source: { utm_source: ' newsletter ', utm_medium: 'email', utm_campaign: 'dec-36', ref: 'partner-7' } });
    expect(parsed.source).toEqual({ utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'dec-36', ref: 'partner-7' });
    for (const source of [{ utm_source: 'x'.repeat(101) }, { ref: 'two\nlines' }, { utm_term: 'x' }, { referrer: 'evil.example' }, { utm_source: 42 }, { ref: '' }, 'newsletter']) {
      expect(signatureInputSchema.safeParse({ ...signer, source }).success, JSON.stringify(source)).toBe(false);
    }
  });

  it('takes the referrer host only, from Referer or else Origin, never a path, query or other scheme', () => {
    expect(referrerHost({ referer: 'https://Blog.Example.org/post?id=7&email=a@b.c#x' })).toBe('blog.example.org');
    expect(referrerHost({ origin: 'http://partner.example:8080' })).toBe('partner.example');
    expect(referrerHost({ referer: 'not a url', origin: 'https://fallback.example' })).toBe('fallback.example');
    expect(referrerHost({ origin: 'null' })).toBeUndefined();
    expect(referrerHost({ referer: 'file:///etc/passwd' })).toBeUndefined();
    expect(referrerHost({})).toBeUndefined();
  });

  it('stores nothing when there is no source, and the referrer beside the form fields otherwise', () => {
    expect(storedSource(undefined, undefined)).toBeUndefined();
    expect(storedSource({}, undefined)).toBeUndefined();
    expect(storedSource({ ref: 'r' }, 'example.org')).toEqual({ ref: 'r', referrer: 'example.org' });
    expect(sourceOf({ ref: 'r', referrer: 'example.org', other: 'dropped', utm_source: 7 })).toEqual({ ref: 'r', referrer: 'example.org' });
    expect(sourceOf('r')).toBeUndefined();
  });

  it('writes a source in one cell as a query string, and names tally attributes that parse back', () => {
    expect(sourceText({ utm_source: 'news letter', referrer: 'example.org' })).toBe('utm_source=news+letter&referrer=example.org');
    expect(sourceText(undefined)).toBe('');
    expect(parseSourceAttribute(sourceAttribute('utm_campaign', 'a=b'))).toEqual({ dimension: 'utm_campaign', value: 'a=b' });
    expect(parseSourceAttribute('values')).toBeUndefined();
    expect(parseSourceAttribute('pk=x')).toBeUndefined();
  });

  it('falls back to Origin when Referer is empty or the literal "null", and bounds the host it keeps', () => {
    expect(referrerHost({ referer: '', origin: 'https://Partner.example' })).toBe('partner.example');
    expect(referrerHost({ referer: 'null', origin: 'https://partner.example' })).toBe('partner.example');
    expect(referrerHost({ origin: 'null' })).toBeUndefined();
    expect(referrerHost({ referer: 'ftp://files.example/x' })).toBeUndefined();
    expect(referrerHost({ referer: 'file:///etc/passwd' })).toBeUndefined();
    const label = 'a'.repeat(50);
    const at100 = `${label}.${'b'.repeat(45)}.org`;
    expect(at100).toHaveLength(100);
    expect(referrerHost({ referer: `https://${at100}/` })).toBe(at100);
    expect(referrerHost({ referer: `https://${label}.${'b'.repeat(46)}.org/` })).toBeUndefined();
  });

  it('reads back only known fields with text, and nothing when none is left', () => {
    expect(sourceOf(null)).toBeUndefined();
    expect(sourceOf('utm_source=x')).toBeUndefined();
    expect(sourceOf({})).toBeUndefined();
    expect(sourceOf({ utm_source: '', other: 'x' })).toBeUndefined();
    expect(sourceOf({ utm_source: 'news', ref: 7, referrer: 'example.org' })).toEqual({ utm_source: 'news', referrer: 'example.org' });
  });
});
