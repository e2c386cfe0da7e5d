import { describe, expect, it } from 'vitest';
import { conflict, gone, InvalidInputError, notFound } from '#shared/domain/errors.ts';

describe('domain errors', () => {
  it('carry the problem slug and a name of their own, so logs and problemFor tell them apart', () => {
    expect(notFound('No such campaign.')).toMatchObject({ name: 'NotFoundError', slug: 'not-found', message: 'No such campaign.' });
    expect(conflict('slug-taken', 'The slug is taken.')).toMatchObject({ name: 'ConflictError', slug: 'slug-taken', message: 'The slug is taken.' });
    expect(gone('The link has expired.')).toMatchObject({ name: 'GoneError', slug: 'gone', message: 'The link has expired.' });
    const invalid = new InvalidInputError('Not valid.', [{ path: 'title', message: 'Required.' }]);
    expect(invalid).toMatchObject({ name: 'InvalidInputError', slug: 'validation', errors: [{ path: 'title', message: 'Required.' }] });
    expect(invalid).toBeInstanceOf(Error);
  });
});
