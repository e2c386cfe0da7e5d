import { createHash, createHmac } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { config } from './config.ts';

const ulid = monotonicFactory();

/** Sortable ids: newest-first listings and audit trails can use them as sort keys. */
export function newId(): string {
  return ulid().toLowerCase();
}

export function hmac(purpose: string, value: string): string {
  return createHmac('sha256', config().TOKEN_SECRET).update(`${purpose}\u0000${value}`).digest('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
