import * as z from 'zod';
import { cursorKey } from '#shared/config.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { seal, unseal } from '#shared/ids.ts';

export const listQueryShape = {
  limit: z.coerce.number().int('limit must be a whole number.').min(1, 'limit is at least 1.').max(100, 'limit is at most 100.').default(20),
  cursor: z.string().max(2048).optional(),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Cursors are the last returned item's keys, encrypted under the cursor key with the list's scope as
 * authenticated context. Clients learn nothing from them (keys can hold a person's dedupe key), every cursor
 * differs even for the same place, and a forged, changed or foreign cursor (one from another list) is a 400
 * rather than a query at an arbitrary place in the table.
 */
export function encodeCursor(scope: string, key: Record<string, unknown>): string {
  return seal(cursorKey(), JSON.stringify(key), `cursor:${scope}`);
}

export function decodeCursor(scope: string, cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  const json = unseal(cursorKey(), cursor, `cursor:${scope}`);
  const key: unknown = json === undefined ? undefined : JSON.parse(json);
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    throw new InvalidInputError('The cursor is not valid for this list.', [{ path: 'cursor', message: 'Not a cursor this list issued.' }]);
  }
  return key as Record<string, unknown>;
}
