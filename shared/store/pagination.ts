import { z } from 'zod';
import { badRequest } from '#shared/http/problem.ts';
import { hmac } from '#shared/ids.ts';

export const listQueryShape = {
  limit: z.coerce.number().int('limit must be a whole number.').min(1, 'limit is at least 1.').max(100, 'limit is at most 100.').default(20),
  cursor: z.string().max(2048).optional(),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Cursors are the last returned item's keys, signed: opaque to clients, and a forged or foreign cursor
 * (one from another list) is a 400 rather than a query at an arbitrary place in the table.
 */
export function encodeCursor(scope: string, key: Record<string, unknown>): string {
  const payload = Buffer.from(JSON.stringify(key)).toString('base64url');
  return `${payload}.${hmac(`cursor:${scope}`, payload).slice(0, 22)}`;
}

export function decodeCursor(scope: string, cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined || hmac(`cursor:${scope}`, payload).slice(0, 22) !== signature) {
    throw badRequest('The cursor is not valid for this list.', [{ path: 'cursor', message: 'Not a cursor this list issued.' }]);
  }
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
