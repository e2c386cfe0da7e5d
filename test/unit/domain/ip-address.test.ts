import { describe, expect, it } from 'vitest';
import { formatIp, formatIpRange, IpRangeIndex, parseIp, parseIpRange, rateLimitSubject } from '#shared/domain/ip-address.ts';

const ip = (text: string) => {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`not an address: ${text}`);
  return parsed;
};
const range = (text: string) => {
  const parsed = parseIpRange(text);
  if (!parsed) throw new Error(`not a range: ${text}`);
  return parsed;
};

describe('IP addresses', () => {
  it.each([
    ['203.0.113.5', '203.0.113.5'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['::ffff:203.0.113.5', '203.0.113.5'],
    ['::FFFF:cb00:7105', '203.0.113.5'],
    ['64:ff9b::203.0.113.5', '64:ff9b::cb00:7105'],
  ])('writes %s canonically as %s', (text, canonical) => {
    expect(formatIp(ip(text))).toBe(canonical);
  });

  it.each(['999.1.1.1', '1.2.3', '010.1.1.1', '1::2::3', 'fe80::1%eth0', 'example', '', '12345', '203.0.113.5/24'])('refuses %j as an address', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });
});

describe('IP ranges', () => {
  it.each([
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['203.0.113.77/24', '203.0.113.0/24'],
    ['203.0.113.5/32', '203.0.113.5'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['2001:DB8:ffff::1/32', '2001:db8::/32'],
    ['2001:db8::1/128', '2001:db8::1'],
    ['2001:db8:8000::/33', '2001:db8:8000::/33'],
    ['::ffff:203.0.113.0/120', '203.0.113.0/24'],
    // The whole IPv4-mapped block is every IPv4 address.
    ['::ffff:0:0/96', '0.0.0.0/0'],
    ['::ffff:0:0/95', '::fffe:0:0/95'],
  ])('writes %s canonically as %s', (text, canonical) => {
    expect(formatIpRange(range(text))).toBe(canonical);
  });

  it.each(['1.2.3.4/33', '2001:db8::/129', '1.2.3.4/', '1.2.3.4/024', '1.2.3.4/-1', '1.2.3.4/8/8', '/24', 'example/24', 'junk/203.0.113.5', '203.0.113.0/24 ', ' 203.0.113.0/24'])('refuses %j', (text) => {
    expect(parseIpRange(text)).toBeUndefined();
  });
});

describe('IpRangeIndex', () => {
  const index = new IpRangeIndex();
  for (const entry of ['203.0.113.0/24', '198.51.100.7', '2001:db8::/32', '2001:db8:ffff::1']) index.add(range(entry));

  it.each(['203.0.113.0', '203.0.113.255', '198.51.100.7', '::ffff:198.51.100.7', '2001:db8::1', '2001:db8:ffff:ffff::1', '2001:db8:ffff::1'])(
    'finds %s',
    (text) => {
      expect(index.has(ip(text))).toBe(true);
    },
  );

  it.each(['203.0.114.0', '198.51.100.8', '2001:db9::1', '2001:db7:ffff::1', '::cb00:7100'])('does not find %s', (text) => {
    expect(index.has(ip(text))).toBe(false);
  });
});

describe('rateLimitSubject', () => {
  it('counts IPv4 per address and IPv4-mapped IPv6 as that IPv4 address', () => {
    expect(rateLimitSubject('203.0.113.5')).toBe('203.0.113.5');
    expect(rateLimitSubject('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(rateLimitSubject('203.0.113.6')).not.toBe(rateLimitSubject('203.0.113.5'));
  });

  it('counts what is not an address as itself', () => {
    expect(rateLimitSubject('unknown')).toBe('unknown');
  });

  it('counts IPv6 per /64, however the address is written', () => {
    expect(rateLimitSubject('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(rateLimitSubject('2001:DB8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(rateLimitSubject('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
  });
});
