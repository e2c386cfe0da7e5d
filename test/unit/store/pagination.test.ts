import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Problem } from '#shared/http/problem.ts';
import { decodeCursor, encodeCursor, listQueryShape } from '#shared/store/pagination.ts';

const key = { pk: 'CAMPAIGN#free-nasser-zefzafi', sk: 'CAMPAIGN', gsi1pk: 'CAMPAIGNS#open', gsi1sk: '2026-01-01T00:00:00.000Z#free-nasser-zefzafi' };
const scope = 'campaigns:open:*';

function rejection(run: () => unknown): Problem {
  try {
    run();
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('expected a Problem');
}

describe('pagination cursors', () => {
  it('round-trip the last item key', () => {
    expect(decodeCursor(scope, encodeCursor(scope, key))).toEqual(key);
  });

  it('are opaque: the key is not readable in plain text', () => {
    expect(encodeCursor(scope, key)).not.toContain('CAMPAIGN#');
  });

  it('mean the first page when absent', () => {
    expect(decodeCursor(scope, undefined)).toBeUndefined();
  });

  it('reject a cursor whose payload was changed, as a 400 on the cursor parameter', () => {
    const [, signature] = encodeCursor(scope, key).split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...key, pk: 'TOKEN#x' })).toString('base64url')}.${signature}`;
    const problem = rejection(() => decodeCursor(scope, forged));
    expect(problem.status).toBe(400);
    expect(problem.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) as unknown }]);
  });

  it('reject a cursor whose signature was changed', () => {
    const cursor = encodeCursor(scope, key);
    const last = cursor.at(-1) === 'A' ? 'B' : 'A';
    expect(rejection(() => decodeCursor(scope, `${cursor.slice(0, -1)}${last}`)).status).toBe(400);
  });

  it('reject a cursor issued for another list', () => {
    const cursor = encodeCursor('campaigns:closed:*', key);
    expect(rejection(() => decodeCursor(scope, cursor)).status).toBe(400);
    expect(rejection(() => decodeCursor('campaigns:open:petition', cursor)).status).toBe(400);
  });

  it.each(['', 'garbage', 'a.b.c', '.', `${Buffer.from('{}').toString('base64url')}.`])('reject %j', (cursor) => {
    expect(rejection(() => decodeCursor(scope, cursor)).status).toBe(400);
  });
});

describe('list query parameters', () => {
  const query = z.object(listQueryShape);

  it('default limit to 20 and accept 1..100 from the query string', () => {
    expect(query.parse({})).toEqual({ limit: 20 });
    expect(query.parse({ limit: '1' }).limit).toBe(1);
    expect(query.parse({ limit: '100', cursor: 'abc' })).toEqual({ limit: 100, cursor: 'abc' });
  });

  it.each(['0', '101', '2.5', 'ten', '-1'])('reject limit=%s', (limit) => {
    expect(query.safeParse({ limit }).success).toBe(false);
  });
});
