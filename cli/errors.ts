import type { FieldError } from '#shared/http/problem.ts';

/**
 * What can go wrong in a command, and the exit code each means:
 *   1  the API answered with an error (a problem), or could not be reached, or answered nonsense
 *   2  usage: a bad argument, a missing URL or token, an unreadable or invalid input file
 */
export const exitCodes = { ok: 0, api: 1, usage: 2 } as const;

/** RFC 9457 problem details as the API sends them (anything beyond these fields is kept, not shown). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export abstract class CliError extends Error {
  abstract readonly exitCode: number;
  /** Lines after the message that help a person fix it. */
  readonly hints: string[];

  constructor(message: string, hints: string[] = []) {
    super(message);
    this.hints = hints;
  }

  /** The error for `--json` mode. */
  toJSON(): Record<string, unknown> {
    return { message: this.message, ...(this.hints.length ? { hints: this.hints } : {}) };
  }
}

export class UsageError extends CliError {
  readonly exitCode = exitCodes.usage;
  override readonly name = 'UsageError';
  readonly errors: FieldError[];

  constructor(message: string, options: { errors?: FieldError[]; hints?: string[] } = {}) {
    super(message, options.hints);
    this.errors = options.errors ?? [];
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), ...(this.errors.length ? { errors: this.errors } : {}) };
  }
}

/** The API answered, with an error status. */
export class ApiError extends CliError {
  readonly exitCode = exitCodes.api;
  override readonly name = 'ApiError';
  readonly status: number;
  readonly problem: Problem;
  /** What the command was doing, e.g. `adding the "fr" translation`. */
  readonly during: string | undefined;

  constructor(status: number, problem: Problem, options: { during?: string; hints?: string[] } = {}) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`, options.hints);
    this.status = status;
    this.problem = problem;
    this.during = options.during;
  }

  /** The same error, saying what the command was doing and anything already done. */
  withContext(during: string, hints: string[] = []): ApiError {
    return new ApiError(this.status, this.problem, { during, hints: [...hints, ...this.hints] });
  }

  override toJSON(): Record<string, unknown> {
    return { status: this.status, problem: this.problem, ...(this.during ? { during: this.during } : {}), ...(this.hints.length ? { hints: this.hints } : {}) };
  }
}

/** The API could not be reached, or what came back was not the API's. */
export class ConnectionError extends CliError {
  readonly exitCode = exitCodes.api;
  override readonly name = 'ConnectionError';
}

/** The command could not finish what it set out to do, for a reason that is not an API error. */
export class CommandFailed extends CliError {
  readonly exitCode = exitCodes.api;
  override readonly name = 'CommandFailed';
}

/** Problem details for people: `Conflict (409): detail`, then each field error as `path: message`. */
export function renderProblem(error: ApiError): string[] {
  const { problem, status } = error;
  const title = problem.title ?? 'Error';
  const lines = [`${title} (${status})${problem.detail ? `: ${problem.detail}` : ''}`];
  for (const field of problem.errors ?? []) lines.push(`  ${field.path}: ${field.message}`);
  return lines;
}

export function renderError(error: unknown): string[] {
  if (error instanceof ApiError) {
    const lines = renderProblem(error);
    if (error.during) lines[0] = `Error while ${error.during}: ${lines[0]}`;
    else lines[0] = `Error: ${lines[0]}`;
    return [...lines, ...error.hints.map((h) => `  ${h}`)];
  }
  if (error instanceof UsageError) {
    return [`Error: ${error.message}`, ...error.errors.map((e) => `  ${e.path}: ${e.message}`), ...error.hints.map((h) => `  ${h}`)];
  }
  if (error instanceof CliError) return [`Error: ${error.message}`, ...error.hints.map((h) => `  ${h}`)];
  const message = error instanceof Error ? error.message : String(error);
  return [`Error: ${message}`];
}
