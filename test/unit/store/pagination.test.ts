import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { cursorKey, resetConfig } from '#shared/config.ts';
import { problemFor, type Problem } from '#shared/http/problem.ts';
import { seal } from '#shared/ids.ts';
import { decodeCursor, encodeCursor, listQueryShape } from '#shared/store/pagination.ts';

// A public signature list's key: its pk carries the signer's dedupe key.
const dedupeKey = 'hWq3mX0bq2V9tC7kQ1rS8uY4zA6dE5fG3hJ2kL1mN0o';
const key = { pk: `SIGNATURE#free-nasser-zefzafi#${dedupeKey}`, sk: 'SIGNATURE', gsi1pk: 'SIGNATURES#free-nasser-zefzafi', gsi1sk: '2026-01-01T00:00:00.000Z#01jabc' };
const scope = 'signatures:free-nasser-zefzafi';

/** The problem+json answer the HTTP wrapper gives for what `run` throws (a cursor error is the store's own). */
function rejection(run: () => unknown): Problem {
  try {
    run();
  } catch (error) {
    const problem = problemFor(error);
    if (problem) return problem;
    throw error;
  }
  throw new Error('expected a Problem');
}

/** Changes one byte of what a cursor decodes to, keeping it well-formed base64url. */
function flipByte(cursor: string, at: number): string {
  const bytes = Buffer.from(cursor, 'base64url');
  bytes[at] = bytes[at]! ^ 0x01;
  return bytes.toString('base64url');
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetConfig();
});

describe('pagination cursors', () => {
  it('round-trip the last item key', () => {
    expect(decodeCursor(scope, encodeCursor(scope, key))).toEqual(key);
  });

  it('reveal nothing: neither the text nor its decoded bytes show the keys, the dedupe key or JSON', () => {
    const cursor = encodeCursor(scope, key);
    for (const text of [cursor, Buffer.from(cursor, 'base64url').toString('latin1')]) {
      for (const secret of ['SIGNATURE#', 'SIGNATURES#', dedupeKey, dedupeKey.slice(0, 12), 'free-nasser', '"pk"', '2026-01-01']) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('differ every time, even for the same place in the same list', () => {
    const cursors = new Set(Array.from({ length: 20 }, () => encodeCursor(scope, key)));
    expect(cursors.size).toBe(20);
    for (const cursor of cursors) expect(decodeCursor(scope, cursor)).toEqual(key);
  });

  it('mean the first page when absent', () => {
    expect(decodeCursor(scope, undefined)).toBeUndefined();
  });

  it('reject a cursor with any byte changed (IV, ciphertext or tag), as a 400 on the cursor parameter', () => {
    const cursor = encodeCursor(scope, key);
    const length = Buffer.from(cursor, 'base64url').length;
    for (const at of [0, 11, 12, 20, length - 17, length - 1]) {
      const problem = rejection(() => decodeCursor(scope, flipByte(cursor, at)));
      expect(problem.status).toBe(400);
      expect(problem.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) as unknown }]);
    }
  });

  it('reject a cursor issued for another list', () => {
    const cursor = encodeCursor('signatures:another-campaign', key);
    expect(rejection(() => decodeCursor(scope, cursor)).status).toBe(400);
    expect(rejection(() => decodeCursor('endorsements:free-nasser-zefzafi', cursor)).status).toBe(400);
  });

  it('reject a cursor of another deployment (another cursor secret)', () => {
    vi.stubEnv('CURSOR_SECRET', 'one-deployment-cursor-secret');
    resetConfig();
    const cursor = encodeCursor(scope, key);
    vi.stubEnv('CURSOR_SECRET', 'another-deployment-cursor-secret');
    resetConfig();
    expect(rejection(() => decodeCursor(scope, cursor)).status).toBe(400);
  });

  it.each([['pk'], null, 5, 'pk', true])('reject a sealed value that is not a key: %j', (value) => {
    const notAKey = seal(cursorKey(), JSON.stringify(value), `cursor:${scope}`);
    const problem = rejection(() => decodeCursor(scope, notAKey));
    expect(problem.status).toBe(400);
    expect(problem.body).toMatchObject({ detail: 'The cursor is not valid for this list.', errors: [{ path: 'cursor', message: 'Not a cursor this list issued.' }] });
  });

  it.each(['', 'garbage', 'a.b.c', '.', `${Buffer.from('{}').toString('base64url')}.`, `${Buffer.from(JSON.stringify(key)).toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`, '!!!!'])(
    'reject %j',
    (cursor) => {
      expect(rejection(() => decodeCursor(scope, cursor)).status).toBe(400);
    },
  );
});

describe('the cursor key', () => {
  it('comes from CURSOR_SECRET alone when it is set: the link secret may change, cursors stay valid', () => {
    vi.stubEnv('CURSOR_SECRET', 'the-cursor-secret-of-this-test');
    vi.stubEnv('TOKEN_SECRET', 'a-first-link-secret-for-tests');
    resetConfig();
    const cursor = encodeCursor(scope, key);
    vi.stubEnv('TOKEN_SECRET', 'a-second-link-secret-for-tests');
    resetConfig();
    expect(decodeCursor(scope, cursor)).toEqual(key);
  });

  it('is derived from the link secret on a laptop without CURSOR_SECRET', () => {
    vi.stubEnv('CURSOR_SECRET', undefined);
    vi.stubEnv('TOKEN_SECRET', 'a-first-link-secret-for-tests');
    resetConfig();
    const cursor = encodeCursor(scope, key);
    expect(decodeCursor(scope, cursor)).toEqual(key);
    vi.stubEnv('TOKEN_SECRET', 'a-second-link-secret-for-tests');
    resetConfig();
    expect(rejection(() => decodeCursor(scope, cursor)).status).toBe(400);
  });

  it('on Lambda needs only CURSOR_SECRET, never the link secret', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'Tadamon-test-ListSignatures');
    vi.stubEnv('TOKEN_SECRET', undefined);
    vi.stubEnv('CURSOR_SECRET', 'the-cursor-secret-of-this-test');
    resetConfig();
    expect(decodeCursor(scope, encodeCursor(scope, key))).toEqual(key);
  });

  it('on Lambda is refused without CURSOR_SECRET, even with the link secret at hand', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'Tadamon-test-ListSignatures');
    vi.stubEnv('TOKEN_SECRET', 'a-real-looking-link-secret-value');
    vi.stubEnv('CURSOR_SECRET', undefined);
    resetConfig();
    expect(() => encodeCursor(scope, key)).toThrow(/CURSOR_SECRET/);
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

  it.each([
    ['0', 'limit is at least 1.'],
    ['-1', 'limit is at least 1.'],
    ['101', 'limit is at most 100.'],
    ['2.5', 'limit must be a whole number.'],
  ])('tell the client why limit=%s is refused', (limit, message) => {
    expect(query.safeParse({ limit }).error?.issues.map((issue) => [issue.path, issue.message])).toEqual([[['limit'], message]]);
  });
});
