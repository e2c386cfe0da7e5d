import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How a delivery is signed, the way a receiver checks it: `Tadamon-Signature: v1=<hex>` where hex is the
 * HMAC-SHA256, under the webhook's secret (its UTF-8 text as the key), of `${timestamp}.${body}`, timestamp
 * being `Tadamon-Timestamp` (unix seconds) and body the exact bytes POSTed. Binding the time lets a receiver
 * refuse an old delivery replayed by whoever captured it; `v1=` leaves room for a second scheme beside it.
 */

export const signatureScheme = 'v1';

/** A new webhook secret: 32 random bytes, shown to the operator once. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `${signatureScheme}=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** The body exactly as it is POSTed: compact JSON, keys in the order given. */
export function serialiseBody(body: Record<string, unknown>): string {
  return JSON.stringify(body);
}

export interface SignedHeaders {
  eventId: string;
  timestamp: string;
  signature: string;
}

export function signedHeaders(secret: string, eventId: string, body: Record<string, unknown>, now: Date): SignedHeaders {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { eventId, timestamp: String(timestamp), signature: signatureOf(secret, timestamp, serialiseBody(body)) };
}

/** The header names, as receivers see them. */
export const headerNames = { eventId: 'Tadamon-Event-Id', timestamp: 'Tadamon-Timestamp', signature: 'Tadamon-Signature' } as const;

/** For the local bus's own checks and the docs' example: constant time, any `v1=` among comma-separated values. */
export function verifies(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(signatureOf(secret, Number(timestamp), body));
  return header.split(',').some((candidate) => {
    const given = Buffer.from(candidate.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
