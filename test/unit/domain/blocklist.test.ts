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
    ['ip', ' 203.0.113.5 ', '203.0.113.5'],
    // The widest ranges allowed.
    ['ip', '10.0.0.0/8', '10.0.0.0/8'],
    ['ip', '2001::/16', '2001::/16'],
    // IDNA of the name as written: ß is its own letter, not "ss".
    ['email-domain', 'straße.example', 'xn--strae-oqa.example'],
    // Only the top-level label may not be all digits.
    ['email-domain', 'mail.123.example', 'mail.123.example'],
    ['email-domain', 'evil.x1', 'evil.x1'],
    ['email-domain', 'evil.1x', 'evil.1x'],
    ['email-domain', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`],
  ] as const)('stores %s %j as %j', (kind, text, value) => {
    expect(canonicalBlockValue(kind, text)).toEqual({ value });
  });

  const notAnIp = 'Not an IP address or CIDR range, such as 203.0.113.5, 203.0.113.0/24 or 2001:db8::/32.';
  const tooWide = (prefix: number) => `A range wider than /${prefix} would block a large part of the internet; block a narrower one.`;
  const notADomain = 'Not a domain name, such as evil.example.';
  it.each([
    ['ip', '999.1.1.1', notAnIp],
    ['ip', '1.2.3.4/33', notAnIp],
    ['ip', '2001:db8::/129', notAnIp],
    ['ip', 'example', notAnIp],
    ['ip', '', notAnIp],
    ['ip', '0.0.0.0/0', tooWide(8)],
    ['ip', '10.0.0.0/7', tooWide(8)],
    // Every IPv4 address, written as IPv4-mapped IPv6.
    ['ip', '::ffff:0:0/96', tooWide(8)],
    ['ip', '::/0', tooWide(16)],
    ['ip', '2001::/15', tooWide(16)],
    ['ip', 'fe80::1%eth0', notAnIp],
    ['email-domain', 'example', 'Block a domain such as evil.example, not a whole top-level domain.'],
    ['email-domain', '-x.com', notADomain],
    ['email-domain', 'x-.com', notADomain],
    ['email-domain', 'a..b', notADomain],
    ['email-domain', '.evil.example', notADomain],
    ['email-domain', '', notADomain],
    ['email-domain', '*.evil.example', 'Subdomains are blocked with their domain: block evil.example without "*.".'],
    ['email-domain', 'evil.example/path', notADomain],
    ['email-domain', 'user@evil.example', notADomain],
    ['email-domain', 'evil_mail.example', notADomain],
    ['email-domain', '1.2.3.4', notADomain],
    ['email-domain', 'evil.123', notADomain],
    ['email-domain', '10.20.30.40', notADomain],
    ['email-domain', `${'a'.repeat(64)}.example`, notADomain],
    ['email-domain', `${'abcdefghi.'.repeat(26)}example`, notADomain],
    ['email-domain', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, notADomain],
  ] as const)('refuses %s %j with the reason', (kind, text, error) => {
    expect(canonicalBlockValue(kind, text)).toEqual({ error });
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
