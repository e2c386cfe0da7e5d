import type { z } from 'zod';
import { ConflictError, DomainError, GoneError, InvalidInputError, NotFoundError } from '#shared/domain/errors.ts';

export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error that is an answer: thrown anywhere below a handler, rendered as RFC 9457 problem details. */
export class Problem extends Error {
  readonly status: number;
  readonly slug: string;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;

  constructor(status: number, slug: string, detail: string, options: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = 'Problem';
    this.status = status;
    this.slug = slug;
    if (options.errors) this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  get body(): ProblemBody {
    return {
      type: `https://tadamon.org/problems/${this.slug}`,
      title: titles[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new Problem(400, errors ? 'validation' : 'bad-request', detail, errors ? { errors } : {});
export const unauthorized = () =>
  new Problem(401, 'unauthorized', 'A valid operator bearer token is required.', { headers: { 'WWW-Authenticate': 'Bearer' } });
export const notFound = (detail: string) => new Problem(404, 'not-found', detail);
export const conflict = (slug: string, detail: string) => new Problem(409, slug, detail);
export const gone = (detail: string) => new Problem(410, 'gone', detail);

export function validationProblem(error: z.ZodError, where: 'body' | 'query' | 'path' = 'body'): Problem {
  const errors = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || where,
    message: issue.message,
  }));
  return badRequest(`The request ${where} is not valid.`, errors);
}

/**
 * The answer an error stands for: a Problem as it is, a domain error (shared/domain/errors.ts) as the problem
 * it has always been answered with; undefined for anything else (a fault, answered 500).
 */
export function problemFor(error: unknown): Problem | undefined {
  if (error instanceof Problem) return error;
  if (!(error instanceof DomainError)) return undefined;
  if (error instanceof NotFoundError) return notFound(error.message);
  if (error instanceof ConflictError) return conflict(error.slug, error.message);
  if (error instanceof GoneError) return gone(error.message);
  if (error instanceof InvalidInputError) return badRequest(error.message, error.errors);
  return undefined;
}
