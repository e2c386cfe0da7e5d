import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP addresses as bytes, so that one host is one value however it is written: `2001:DB8:0:0::1` and
 * `2001:db8::1` are the same address, and so are `::ffff:203.0.113.5` (how a dual-stack socket shows an
 * IPv4 client) and `203.0.113.5`. Ranges, canonical text and the /64 a subscriber line gets are computed
 * from the bytes, never compared as strings.
 */
export interface IpAddress {
  version: 4 | 6;
  bytes: Uint8Array;
}

/** A CIDR range; a single address is the range of its full length (/32 or /128). */
export interface IpRange extends IpAddress {
  prefix: number;
}

const bits = (version: 4 | 6) => (version === 4 ? 32 : 128);
const v4MappedPrefix = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);

export function parseIp(text: string): IpAddress | undefined {
  const range = parseIpRange(text);
  return range && range.prefix === bits(range.version) ? { version: range.version, bytes: range.bytes } : undefined;
}

/** `203.0.113.0/24`, `2001:db8::/32` or one address. Host bits after the prefix are cleared. */
export function parseIpRange(text: string): IpRange | undefined {
  const match = /^([^/]+)(?:\/(0|[1-9]\d{0,2}))?$/.exec(text);
  const address = match?.[1] ?? '';
  if (isIPv4(address)) {
    const prefix = match?.[2] === undefined ? 32 : Number(match[2]);
    return prefix <= 32 ? { version: 4, prefix, bytes: masked(Uint8Array.from(address.split('.').map(Number)), prefix) } : undefined;
  }
  // A zone (fe80::1%eth0) names an interface of this machine, never a client on the internet.
  if (!isIPv6(address) || address.includes('%')) return undefined;
  const prefix = match?.[2] === undefined ? 128 : Number(match[2]);
  if (prefix > 128) return undefined;
  const bytes = masked(ipv6Bytes(address), prefix);
  if (prefix >= 96 && v4MappedPrefix.every((byte, i) => bytes[i] === byte)) return { version: 4, prefix: prefix - 96, bytes: bytes.slice(12) };
  return { version: 6, prefix, bytes };
}

/** The canonical text: dotted IPv4, RFC 5952 IPv6 (lower case, the longest run of zero groups as `::`). */
export function formatIp({ version, bytes }: IpAddress): string {
  if (version === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** A single address is written alone; a wider range as network/prefix. */
export function formatIpRange(range: IpRange): string {
  return range.prefix === bits(range.version) ? formatIp(range) : `${formatIp(range)}/${range.prefix}`;
}

/**
 * Whom a per-address rate limit counts. An IPv4 address is one subscriber (or one NAT). An ISP gives
 * every IPv6 subscriber line a whole /64 (often a /56 or /48), and the host picks any address in it, so
 * counting per address would let one line rotate through 2^64 fresh budgets: IPv6 counts per /64.
 */
export function rateLimitSubject(text: string): string {
  const ip = parseIp(text);
  if (!ip) return text;
  return ip.version === 4 ? formatIp(ip) : formatIpRange({ ...ip, prefix: 64, bytes: masked(ip.bytes, 64) });
}

/**
 * Ranges indexed by prefix length: whether an address is in any of them takes one set lookup per prefix
 * length in use (at most 33 for IPv4, 129 for IPv6), however many ranges there are.
 */
export class IpRangeIndex {
  private readonly buckets = new Map<string, { version: 4 | 6; prefix: number; networks: Set<string> }>();

  add(range: IpRange): void {
    const id = `${range.version}/${range.prefix}`;
    const bucket = this.buckets.get(id) ?? { version: range.version, prefix: range.prefix, networks: new Set<string>() };
    bucket.networks.add(hex(range.bytes));
    this.buckets.set(id, bucket);
  }

  has(ip: IpAddress): boolean {
    for (const { version, prefix, networks } of this.buckets.values()) {
      if (version === ip.version && networks.has(hex(masked(ip.bytes, prefix)))) return true;
    }
    return false;
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function masked(bytes: Uint8Array, prefix: number): Uint8Array {
  return bytes.map((byte, i) => {
    const keep = Math.min(8, Math.max(0, prefix - 8 * i));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
}

/** Called only on what `isIPv6` accepted: at most one `::`, hex groups, perhaps a dotted IPv4 tail. */
function ipv6Bytes(address: string): Uint8Array {
  const groups = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = address.split('::');
  const before = groups(head);
  const after = tail === undefined ? [] : groups(tail);
  const all = [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}
