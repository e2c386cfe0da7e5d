import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { conflict, ConflictError, gone, GoneError, InvalidInputError, notFound, NotFoundError } from '#shared/domain/errors.ts';
import { badRequest, conflict as conflictProblem, gone as goneProblem, notFound as notFoundProblem, problemFor } from '#shared/http/problem.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** Every file of `dir` with an import that matches `forbidden`, as `file: specifier`. */
function importsMatching(dir: string, forbidden: RegExp): string[] {
  return sourceFiles(dir).flatMap((file) =>
    [...readFileSync(path.join(root, file), 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gms)]
      .map((match) => match[1]!)
      .filter((specifier) => forbidden.test(specifier))
      .map((specifier) => `${file}: ${specifier}`),
  );
}

describe('layers point one way: handlers → use cases → stores → domain', () => {
  it('keeps the domain pure: types and rules, no stores, HTTP, configuration, mail, clock or AWS', () => {
    expect(importsMatching('shared/domain', /^#shared\/(store|http|use-cases|config|mail|clock|ids|events|observability|triggers)\/?|^@aws-sdk\//)).toEqual([]);
  });

  it('lets no store speak HTTP and no store call a use case', () => {
    const offenders = importsMatching('shared/store', /^#shared\/(http|use-cases)\//);
    expect(offenders).toEqual([]);
  });

  it('keeps every DynamoDB command in the store layer', () => {
    const outside = ['functions', 'shared/domain', 'shared/use-cases', 'shared/http', 'shared/triggers', 'shared/mail'].flatMap((dir) =>
      importsMatching(dir, /^@aws-sdk\/(lib-dynamodb|client-dynamodb)$/),
    );
    expect(outside).toEqual([]);
  });
});

describe('domain errors are answered as the problems they always were', () => {
  it('maps not found, conflict, gone and invalid input to the same problem+json bodies', () => {
    expect(problemFor(notFound('There is no campaign "x".'))?.body).toEqual(notFoundProblem('There is no campaign "x".').body);
    expect(problemFor(new NotFoundError('gone missing'))?.status).toBe(404);
    expect(problemFor(conflict('invalid-transition', 'A closed campaign cannot become open.'))?.body).toEqual(
      conflictProblem('invalid-transition', 'A closed campaign cannot become open.').body,
    );
    expect(problemFor(new ConflictError('slug-taken', 'taken'))?.body.type).toBe('https://tadamon.org/problems/slug-taken');
    expect(problemFor(gone('This confirmation link has expired.'))?.body).toEqual(goneProblem('This confirmation link has expired.').body);
    expect(problemFor(new GoneError('x'))?.status).toBe(410);
    const errors = [{ path: 'period', message: 'Use an ISO week such as 2026-W47.' }];
    expect(problemFor(new InvalidInputError('Not an ISO week.', errors))?.body).toEqual(badRequest('Not an ISO week.', errors).body);
  });

  it('leaves any other error to be answered 500', () => {
    expect(problemFor(new Error('boom'))).toBeUndefined();
    expect(problemFor('a string')).toBeUndefined();
  });
});
