/**
 * What stores and use cases raise when a request cannot be done: plain errors with a slug and a message for
 * people, knowing nothing of HTTP. A scheduled job or a stream consumer sees "not found", not a 404; the HTTP
 * wrapper (shared/http/problem.ts `problemFor`) turns each into its problem+json answer.
 */
export abstract class DomainError extends Error {
  readonly slug: string;

  protected constructor(slug: string, message: string) {
    super(message);
    this.slug = slug;
  }
}

/** What was asked for does not exist (or is not shown to this caller). */
export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('not-found', message);
    this.name = 'NotFoundError';
  }
}

/** The thing exists but its state forbids the change (`slug` says which rule: invalid-transition, slug-taken…). */
export class ConflictError extends DomainError {
  constructor(slug: string, message: string) {
    super(slug, message);
    this.name = 'ConflictError';
  }
}

/** It existed once and is no more (an expired link, a request that was replaced). */
export class GoneError extends DomainError {
  constructor(message: string) {
    super('gone', message);
    this.name = 'GoneError';
  }
}

export interface InvalidField {
  path: string;
  message: string;
}

/** Input that passed the schemas but breaks a rule of the domain, field by field. */
export class InvalidInputError extends DomainError {
  readonly errors: InvalidField[];

  constructor(message: string, errors: InvalidField[]) {
    super('validation', message);
    this.name = 'InvalidInputError';
    this.errors = errors;
  }
}

export const notFound = (message: string) => new NotFoundError(message);
export const conflict = (slug: string, message: string) => new ConflictError(slug, message);
export const gone = (message: string) => new GoneError(message);
