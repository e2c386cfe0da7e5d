import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { config, purposeKey, resetConfig } from '#shared/config.ts';
import { hmac, newId, randomId, seal, sha256, unseal } from '#shared/ids.ts';
import { emailKey, personIndex, personKey } from '#shared/store/signature-store.ts';
import { keys } from '#shared/store/table.ts';

const secret = 'the-link-secret-of-this-unit-test';

afterEach(() => {
  vi.unstubAllEnvs();
  resetConfig();
});

function useSecret(value: string | undefined): void {
  vi.stubEnv('TOKEN_SECRET', value);
  resetConfig();
}

describe('a key per purpose', () => {
  it('gives unrelated values for the same input under different purposes', () => {
    useSecret(secret);
    const purposes = ['email', 'person', 'confirm', 'unsubscribe', 'ip', 'mailbox', 'endorsement'];
    const values = purposes.map((purpose) => hmac(purpose, 'amina@example.org'));
    expect(new Set(values).size).toBe(purposes.length);
    expect(new Set(purposes.map((purpose) => purposeKey(purpose).toString('hex'))).size).toBe(purposes.length);
  });

  it('never uses the master secret itself as a key', () => {
    useSecret(secret);
    const value = 'amina@example.org';
    expect(purposeKey('email').toString('utf8')).not.toBe(secret);
    // Neither the old scheme (one key, the purpose in the input) nor the master over the bare value.
    expect(hmac('email', value)).not.toBe(createHmac('sha256', secret).update(`email\u0000${value}`).digest('base64url'));
    expect(hmac('email', value)).not.toBe(createHmac('sha256', secret).update(value).digest('base64url'));
    expect(hmac('email', value)).toBe(createHmac('sha256', purposeKey('email')).update(value).digest('base64url'));
  });

  it('follows the secret: another deployment (or a reset after a change) gives other values', () => {
    useSecret(secret);
    const before = hmac('email', 'amina@example.org');
    useSecret('another-link-secret-for-this-test');
    expect(hmac('email', 'amina@example.org')).not.toBe(before);
  });

  it('files a person in the person index under a key that is not their dedupe key', () => {
    useSecret(secret);
    const email = 'Amina.Benali@Example.org';
    const signature = keys.signature('free-nasser-zefzafi', emailKey(email));
    const index = personIndex(signature.pk, email);
    expect(personKey(email)).not.toBe(emailKey(email));
    expect(index.gsi3pk).toBe(`PERSON#${personKey(email)}`);
    expect(index.gsi3pk).not.toContain(emailKey(email));
    // Both still follow the canonical address.
    expect(personKey('amina.benali@example.org')).toBe(personKey(email));
  });
});

describe('the link secret on Lambda', () => {
  it('is not needed to read settings: a function without it still starts', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'Tadamon-test-GetCampaign');
    useSecret(undefined);
    expect(config().TABLE_NAME).toBeTruthy();
  });

  it('is refused with a clear error when a key is derived without it, or from the development default', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'Tadamon-test-Confirm');
    useSecret(undefined);
    expect(() => hmac('email', 'amina@example.org')).toThrow(/TOKEN_SECRET/);
    useSecret('local-development-secret-change-me');
    expect(() => hmac('email', 'amina@example.org')).toThrow(/TOKEN_SECRET/);
    useSecret(secret);
    expect(hmac('email', 'amina@example.org')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('sealed values', () => {
  const key = Buffer.alloc(32, 7);

  it('open with the same key and context only', () => {
    const sealed = seal(key, 'subscriber-key', 'unsubscribe');
    expect(unseal(key, sealed, 'unsubscribe')).toBe('subscriber-key');
    expect(unseal(key, sealed, 'cursor')).toBeUndefined();
    expect(unseal(Buffer.alloc(32, 8), sealed, 'unsubscribe')).toBeUndefined();
    expect(seal(key, 'subscriber-key', 'unsubscribe')).not.toBe(sealed);
  });

  it.each(['', 'x', 'not base64url!', 'A'.repeat(37), 'A'.repeat(300)])('refuse %j', (text) => {
    expect(unseal(key, text, 'unsubscribe')).toBeUndefined();
  });

  it('open in one written form only: a sealed text with anything around it is refused, though base64 decoding would skip it', () => {
    const sealed = seal(key, 'subscriber-key', 'unsubscribe');
    for (const text of [`${sealed}!`, `!${sealed}`, ` ${sealed}`, `${sealed}\n`, `${sealed}=`]) expect(unseal(key, text, 'unsubscribe'), text).toBeUndefined();
  });

  it('bind to the empty context when none is given, and to no other', () => {
    const sealed = seal(key, 'subscriber-key');
    expect(unseal(key, sealed)).toBe('subscriber-key');
    expect(unseal(key, sealed, '')).toBe('subscriber-key');
    expect(unseal(key, sealed, 'unsubscribe')).toBeUndefined();
    expect(unseal(key, seal(key, 'subscriber-key', ''))).toBe('subscriber-key');
    expect(unseal(key, seal(key, 'subscriber-key', 'unsubscribe'))).toBeUndefined();
  });

  it('carry any text, of any length (the empty one too), back exactly', () => {
    for (const text of ['', 'a', 'é – ملف', 'x'.repeat(5000)]) {
      const sealed = seal(key, text, 'c');
      expect(unseal(key, sealed, 'c')).toBe(text);
      // A 12-byte IV, the text, a 16-byte tag: the text's bytes and nothing more.
      expect(Buffer.from(sealed, 'base64url').length).toBe(12 + Buffer.byteLength(text) + 16);
    }
  });
});

describe('ids', () => {
  it('sort as they were made, even within one millisecond, in lower case', () => {
    const ids = Array.from({ length: 50 }, () => newId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it('that say nothing are random 128-bit values, URL-safe', () => {
    const ids = Array.from({ length: 50 }, () => randomId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(Buffer.from(id, 'base64url').toString('base64url')).toBe(id);
    for (const id of ids) expect(Buffer.from(id, 'base64url')).toHaveLength(16);
  });

  it('hash with SHA-256, URL-safe', () => {
    expect(sha256('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});
