import { domainToASCII } from 'node:url';
import { formatIpRange, parseIpRange } from './ip-address.ts';

/**
 * What a blocklist entry can block. Kept apart from the store so that schemas and the OpenAPI
 * description can name the kinds without pulling in the DynamoDB client.
 */
export const blockKinds = ['ip', 'email-domain'] as const;
export type BlockKind = (typeof blockKinds)[number];

/**
 * An entry is stored, listed and matched in one canonical form, so that what an operator blocks is what
 * a submission is compared with: domains in lower case and ASCII (IDNA), IPs as RFC 5952 text, ranges as
 * their network with host bits cleared (`203.0.113.7/24` is `203.0.113.0/24`), IPv4-mapped IPv6 as the
 * IPv4 address. Anything that is not a domain or an IP/range is refused rather than stored as a key that
 * could never match.
 */
export function canonicalBlockValue(kind: BlockKind, text: string): { value: string } | { error: string } {
  return kind === 'ip' ? canonicalIpEntry(text) : canonicalDomainEntry(text);
}

// Wider ranges than these block whole regions of the internet (/0 blocks everyone): surely a typo.
const widestPrefix = { 4: 8, 6: 16 } as const;

function canonicalIpEntry(text: string): { value: string } | { error: string } {
  const range = parseIpRange(text.trim());
  if (!range) return { error: 'Not an IP address or CIDR range, such as 203.0.113.5, 203.0.113.0/24 or 2001:db8::/32.' };
  if (range.prefix < widestPrefix[range.version]) {
    return { error: `A range wider than /${widestPrefix[range.version]} would block a large part of the internet; block a narrower one.` };
  }
  return { value: formatIpRange(range) };
}

function canonicalDomainEntry(text: string): { value: string } | { error: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('*.')) return { error: `Subdomains are blocked with their domain: block ${trimmed.slice(2)} without "*.".` };
  const domain = canonicalDomain(trimmed);
  if (!domain) return { error: 'Not a domain name, such as evil.example.' };
  if (!domain.includes('.')) return { error: 'Block a domain such as evil.example, not a whole top-level domain.' };
  return { value: domain };
}

const asciiLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A host name in lower-case ASCII (internationalised names as their `xn--` form, a trailing root dot
 * dropped), or undefined when it is not one: labels of letters, digits and inner hyphens, a top-level
 * label that is not all digits (so that 1.2.3.4 is not taken for a domain), at most 253 characters.
 */
export function canonicalDomain(text: string): string | undefined {
  const name = text.toLowerCase().replace(/\.$/, '');
  // Checked before the IDNA conversion, which would quietly drop a path or port (`evil.example/x`).
  if (!/^[\p{L}\p{M}\p{N}.-]+$/u.test(name)) return undefined;
  const ascii = domainToASCII(name);
  const labels = ascii.split('.');
  if (!ascii || ascii.length > 253 || !labels.every((label) => asciiLabel.test(label))) return undefined;
  return /^\d+$/.test(labels.at(-1) ?? '') ? undefined : ascii;
}

// An address has at most 127 labels; the registrable domain and its parents are always among the last few.
const maxSuffixes = 32;

/**
 * The names an email domain is blocked under: itself and each parent of two labels or more
 * (`mail.evil.example` → `mail.evil.example`, `evil.example`), because a blocked domain blocks its
 * subdomains. Label by label, so `notevil.example` is never a suffix of `evil.example`.
 */
export function blockableSuffixes(domain: string): string[] {
  const labels = domain.split('.');
  const suffixes: string[] = [];
  for (let i = Math.max(0, labels.length - maxSuffixes); i <= labels.length - 2; i++) suffixes.push(labels.slice(i).join('.'));
  return suffixes;
}
