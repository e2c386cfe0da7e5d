import { describe, expect, it } from 'vitest';
import { blockableSuffixes, canonicalBlockValue, canonicalDomain } from '#shared/domain/blocklist.ts';

describe('blocklist entries', () => {
  it.each([
    ['email-domain', 'Evil.Example', 'evil.example'],
    ['email-domain', 'evil.example.', 'evil.example'],
    ['email-domain', ' mail.evil.example ', 'mail.evil.example'],
    ['email-domain', 'bücher.example', 'xn--bcher-kva.example'],
    ['email-domain', 'xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['ip', '203.0.113.5', '203.0.113.5'],
    ['ip', '203.0.113.0/24', '203.0.113.0/24'],
    ['ip', '2001:DB8::/32', '2001:db8::/32'],
    ['ip', '::ffff:1.2.3.4', '1.2.3.4'],
  ] as const)('stores %s %j as %j', (kind, text, value) => {
    expect(canonicalBlockValue(kind, text)).toEqual({ value });
  });

  it.each([
    ['ip', '999.1.1.1'],
    ['ip', '1.2.3.4/33'],
    ['ip', '2001:db8::/129'],
    ['ip', 'example'],
    ['ip', ''],
    ['ip', '0.0.0.0/0'],
    ['ip', '10.0.0.0/7'],
    ['ip', '::/0'],
    ['ip', '2001::/15'],
    ['ip', 'fe80::1%eth0'],
    ['email-domain', 'example'],
    ['email-domain', '-x.com'],
    ['email-domain', 'x-.com'],
    ['email-domain', 'a..b'],
    ['email-domain', '.evil.example'],
    ['email-domain', ''],
    ['email-domain', '*.evil.example'],
    ['email-domain', 'evil.example/path'],
    ['email-domain', 'user@evil.example'],
    ['email-domain', 'evil_mail.example'],
    ['email-domain', '1.2.3.4'],
    ['email-domain', `${'a'.repeat(64)}.example`],
    ['email-domain', `${'abcdefghi.'.repeat(26)}example`],
  ] as const)('refuses %s %j with a reason', (kind, text) => {
    const result = canonicalBlockValue(kind, text);
    expect(result).toEqual({ error: expect.any(String) });
  });

  it('canonicalises the domain of an address the same way as an entry', () => {
    expect(canonicalDomain('Mail.Evil.Example')).toBe('mail.evil.example');
  });
});

describe('blockableSuffixes', () => {
  it('looks a domain up with each parent of two labels or more', () => {
    expect(blockableSuffixes('mail.evil.example')).toEqual(['mail.evil.example', 'evil.example']);
    expect(blockableSuffixes('evil.example')).toEqual(['evil.example']);
  });

  it('never makes notevil.example a suffix of evil.example', () => {
    expect(blockableSuffixes('notevil.example')).not.toContain('evil.example');
  });

  it('reads a bounded number of keys, the shortest parents always among them', () => {
    const deep = `${Array.from({ length: 100 }, (_, i) => `l${i}`).join('.')}.evil.example`;
    const suffixes = blockableSuffixes(deep);
    expect(suffixes.length).toBeLessThanOrEqual(32);
    expect(suffixes).toContain('evil.example');
  });
});
