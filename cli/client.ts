import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from '#shared/store/pagination.ts';
import type { Connection } from './config.ts';
import { ApiError, ConnectionError, UsageError, type Problem } from './errors.ts';
import { bearerToken } from './session.ts';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Milliseconds until the whole exchange is abandoned. */
  timeoutMs?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

// Node's own table of reason phrases names answers that came without problem details (a proxy's 502, say).
const statusTitles: Record<number, string | undefined> = STATUS_CODES;

const maxRateLimitRetries = 5;

/** The operator API over HTTP: problem details become ApiError, network failures ConnectionError. */
export class TadamonClient {
  readonly connection: Connection;
  /** Told about waits (rate limiting), for a human to see; silent in --json mode. */
  private readonly notice: (message: string) => void;

  /** Items per page when following a list's cursors. */
  private readonly pageSize: number;

  constructor(connection: Connection, options: { notice?: (message: string) => void; pageSize?: number } = {}) {
    this.connection = connection;
    this.notice = options.notice ?? (() => {});
    this.pageSize = options.pageSize ?? 100;
  }

  async json<T>(method: string, pathname: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, pathname, options);
    const text = await response.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ConnectionError(`The answer from ${this.connection.url}${pathname} is not JSON.`, [
        `Is ${this.connection.url} (from the ${this.connection.sources.url}) the Tadamon API?`,
      ]);
    }
  }

  get<T>(pathname: string, options: RequestOptions = {}): Promise<T> {
    return this.json<T>('GET', pathname, options);
  }

  /** Every item of a list, following `nextCursor` (a hundred at a time unless told otherwise). */
  async all<T>(pathname: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.get<Page<T>>(pathname, { query: { ...query, limit: this.pageSize, cursor } });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  /** A successful response (2xx), its body not yet read; errors are thrown as ApiError/ConnectionError. */
  async send(method: string, pathname: string, options: RequestOptions = {}): Promise<Response> {
    const token = await bearerToken(this.connection);
    if (!token) {
      throw new UsageError('No operator token given.', {
        hints: [
          'Pass --token, set TADAMON_TOKEN, put "token" in the config file, or sign in on AWS with `tadamon login`.',
          'Locally the token is printed by `npm start` as "Admin token"; on AWS it is a Cognito access token of an operator.',
        ],
      });
    }
    const url = new URL(`${this.connection.url}${pathname}`);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json;q=0.9, */*;q=0.1',
      'user-agent': 'tadamon-cli',
      authorization: `Bearer ${token}`,
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    };
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers,
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
          signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
        });
      } catch (error) {
        throw this.connectionError(error, options.timeoutMs ?? 60_000);
      }
      if (response.ok) return response;
      if (response.status === 429 && attempt < maxRateLimitRetries) {
        const wait = retryAfterMs(response.headers.get('retry-after'));
        await response.body?.cancel();
        this.notice(`Rate limited; retrying in ${Math.ceil(wait / 1000)} s…`);
        await sleep(wait);
        continue;
      }
      throw await this.apiError(response);
    }
  }

  private async apiError(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    let problem: Problem | undefined;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const body = parsed as Record<string, unknown>;
        // A problem document; or API Gateway's own `{"message": "…"}` (its authorizer's 401, for one).
        problem =
          typeof body.title === 'string' || typeof body.detail === 'string'
            ? (body as Problem)
            : { title: statusTitles[response.status] ?? 'Error', status: response.status, ...(typeof body.message === 'string' ? { detail: body.message } : {}) };
      }
    } catch {
      // not JSON: fall through
    }
    problem ??= {
      title: statusTitles[response.status] ?? response.statusText ?? 'Error',
      status: response.status,
      ...(text.trim() ? { detail: snippet(text) } : {}),
    };
    problem.title ??= statusTitles[response.status] ?? 'Error';
    const hints: string[] = [];
    if (response.status === 401) {
      hints.push(`The operator token (from the ${this.connection.sources.token}) was not accepted.`);
      hints.push(
        this.connection.sources.token === 'stored sign-in'
          ? 'Run `tadamon login` again (the sign-in may have been revoked, or made for another deployment).'
          : 'Locally use the "Admin token" printed by `npm start`; on AWS sign in with `tadamon login`.',
      );
    }
    return new ApiError(response.status, problem, { hints });
  }

  private connectionError(error: unknown, timeoutMs: number): ConnectionError {
    const { url, sources } = this.connection;
    const where = `(the URL came from the ${sources.url})`;
    const err = error as Error & { cause?: { code?: string; message?: string } };
    if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
      return new ConnectionError(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s.`, [`Is the API up? ${where}`]);
    }
    const code = err?.cause?.code ?? '';
    const host = new URL(url).host;
    const explanations: Record<string, string> = {
      ECONNREFUSED: `Nothing is listening at ${url} (connection refused).`,
      ENOTFOUND: `The host name in ${url} could not be resolved.`,
      EAI_AGAIN: `The host name in ${url} could not be resolved (temporary DNS failure).`,
      ECONNRESET: `${host} closed the connection.`,
      EHOSTUNREACH: `${host} cannot be reached.`,
      ENETUNREACH: `The network to ${host} cannot be reached.`,
      ETIMEDOUT: `Connecting to ${host} timed out.`,
      UND_ERR_CONNECT_TIMEOUT: `Connecting to ${host} timed out.`,
      UND_ERR_SOCKET: `${host} closed the connection.`,
    };
    const message = explanations[code] ?? `Could not talk to ${url}: ${err?.cause?.message ?? err?.message ?? String(error)}${code ? ` (${code})` : ''}.`;
    const hints = [code === 'ECONNREFUSED' ? `Is the local runtime running (\`npm start\`) on that port? ${where}` : `Check --url / TADAMON_URL ${where}.`];
    return new ConnectionError(message, hints);
  }
}

/** Retry-After is seconds or an HTTP date; wait at least a second and at most a minute. */
export function retryAfterMs(header: string | null): number {
  if (!header) return 1000;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Math.min(60_000, Math.max(1000, Number.isFinite(ms) ? ms : 1000));
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
