import type { SignatureSource, StoredSignatureSource } from './signature.ts';

/**
 * Where signers came from: what a form reports (utm fields, `ref`) and the host of the page that sent it.
 * Only ever counted per campaign, per value (never listed per person in public): a source says how a campaign
 * travels, and must never become a way to find a signer.
 */

/**
 * The fields counted, in the order exports write them. `referrer` is the sending page's host; `account` the AWS
 * account that put a `SignatureSubmitted` event on the bus (a partner's, or this deployment's own for imports).
 */
export const sourceDimensions = ['utm_source', 'utm_medium', 'utm_campaign', 'ref', 'referrer', 'account'] as const;
export type SourceDimension = (typeof sourceDimensions)[number];

/**
 * Distinct values a campaign keeps, all fields together. Each is an attribute of one item (at most ~230 bytes:
 * a field name, a value of at most 100 characters, often 3 bytes each in UTF-8, and a number), so 200 stay
 * under 50 KB, far from DynamoDB's 400 KB per item, whatever a crafted stream of signatures sends.
 */
export const maxSourceValues = 200;

/** Where values beyond `maxSourceValues` are counted, one per field. */
export const otherSourceValue = 'other';

/** The host of the page that sent the form: from `Referer`, else `Origin`; the host only, never a path or query. */
export function referrerHost(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const name of ['referer', 'origin']) {
    const value = headers[name];
    if (!value || value === 'null') continue;
    try {
      const url = new URL(value);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0 && url.hostname.length <= 100) return url.hostname.toLowerCase();
    } catch {
      // Not a URL: no referrer rather than a made-up one.
    }
  }
  return undefined;
}

/** The source to store with a signature: the form's fields and the referrer's host; undefined when there is none. */
export function storedSource(source: SignatureSource | undefined, referrer: string | undefined): StoredSignatureSource | undefined {
  const stored: StoredSignatureSource = { ...source, ...(referrer ? { referrer } : {}) };
  return sourceDimensions.some((d) => stored[d] !== undefined) ? stored : undefined;
}

/** An AWS account id: twelve digits, the `account` of every EventBridge event. */
export const awsAccountPattern = /^\d{12}$/;

/**
 * The source to store with a signature that came in as an event: the fields its detail reported and the account
 * that put it on the bus. The account comes from EventBridge, never from the detail, so a partner cannot claim
 * another's.
 */
export function submittedSource(source: SignatureSource | undefined, account: string): StoredSignatureSource {
  if (!awsAccountPattern.test(account)) throw new Error('An event source account must be an AWS account id');
  return { ...source, account };
}

/** The source as read back from an item (a map), keeping only known fields with text values. */
export function sourceOf(value: unknown): StoredSignatureSource | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const source: StoredSignatureSource = {};
  for (const d of sourceDimensions) {
    const v = record[d];
    if (typeof v === 'string' && v.length > 0) source[d] = v;
  }
  return Object.keys(source).length > 0 ? source : undefined;
}

/** A source in one cell: its fields as a query string (`utm_source=news&referrer=example.org`), empty for none. */
export function sourceText(source: StoredSignatureSource | undefined): string {
  if (!source) return '';
  return new URLSearchParams(sourceDimensions.flatMap((d) => (source[d] ? [[d, source[d]] as [string, string]] : []))).toString();
}

/** The counter attribute of one field's value (`utm_source=news`): flat, so an ADD creates it in one write. */
export function sourceAttribute(dimension: SourceDimension, value: string): string {
  return `${dimension}=${value}`;
}

/** The inverse of `sourceAttribute`, or undefined for any other attribute of the item. */
export function parseSourceAttribute(name: string): { dimension: SourceDimension; value: string } | undefined {
  const at = name.indexOf('=');
  if (at < 0) return undefined;
  const dimension = sourceDimensions.find((d) => d === name.slice(0, at));
  return dimension ? { dimension, value: name.slice(at + 1) } : undefined;
}
