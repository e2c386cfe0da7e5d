import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { purposeKey } from './config.ts';

const ulid = monotonicFactory();

/** Sortable ids: newest-first listings and audit trails can use them as sort keys. */
export function newId(): string {
  return ulid().toLowerCase();
}

/**
 * Ids that say nothing, not even when they were made (a ULID carries its time): for items that must not be
 * linked with one another, such as the anonymous remains of one person's erased signatures.
 */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}

/** Each purpose has a key of its own (shared/config.ts), so equal inputs give unrelated values across purposes. */
export function hmac(purpose: string, value: string): string {
  return createHmac('sha256', purposeKey(purpose)).update(value).digest('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

const ivBytes = 12;
const tagBytes = 16;

/**
 * AES-256-GCM with a random IV: the same plaintext never gives the same text twice, nothing of it can be read
 * without the key, and `context` (authenticated, not stored) binds it to where it may be used. URL-safe.
 */
export function seal(key: Buffer, plaintext: string, context = ''): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The plaintext of a sealed text made with this key and context; undefined for anything forged, changed or foreign. */
export function unseal(key: Buffer, sealed: string, context = ''): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(sealed)) return undefined;
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < ivBytes + tagBytes) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, ivBytes), { authTagLength: tagBytes })
      .setAAD(Buffer.from(context, 'utf8'))
      .setAuthTag(bytes.subarray(bytes.length - tagBytes));
    return Buffer.concat([decipher.update(bytes.subarray(ivBytes, bytes.length - tagBytes)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
