import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { config } from '#shared/config.ts';

/**
 * CORS for browsers on other origins: the embeddable widget and web forms read campaigns and counts and
 * sign from their own sites. Origins come from ALLOWED_ORIGINS (comma-separated, `*` for any); the API
 * uses bearer tokens, never cookies, so no credentials are ever allowed. On AWS, API Gateway's own CORS
 * configuration answers preflights and sets these headers, ignoring any an integration returns; locally
 * the gateway (infra/local/gateway.ts) does both, so the handlers send none.
 */
function allowedOrigin(origin: string | undefined): string | undefined {
  const allowed = config()
    .ALLOWED_ORIGINS.split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (allowed.includes('*')) return '*';
  return origin && allowed.includes(origin) ? origin : undefined;
}

/** Headers for an actual (non-preflight) answer to a request with this Origin. */
function corsHeaders(origin: string | undefined): Record<string, string> {
  const allow = allowedOrigin(origin);
  // With a list of origins the answer depends on the request's Origin: caches must key on it.
  const vary: Record<string, string> = allow === '*' ? {} : { vary: 'Origin' };
  if (!allow) return vary;
  return { 'access-control-allow-origin': allow, 'access-control-expose-headers': 'Retry-After, Location', ...vary };
}

/** Headers for a preflight (OPTIONS) answer, for a path routed with these methods. */
export function preflightHeaders(origin: string | undefined, methods: string[]): Record<string, string> {
  const headers = corsHeaders(origin);
  if (!headers['access-control-allow-origin']) return headers;
  return {
    ...headers,
    'access-control-allow-methods': [...new Set([...methods, 'OPTIONS'])].join(', '),
    'access-control-allow-headers': 'Content-Type, Authorization',
    'access-control-max-age': '3600',
  };
}

/** Adds the CORS headers to a handler's answer (success or problem details) for the request's Origin. */
export function withCors<R extends APIGatewayProxyStructuredResultV2>(event: APIGatewayProxyEventV2, result: R): R {
  const headers = corsHeaders(event.headers?.origin ?? event.headers?.Origin);
  if (Object.keys(headers).length === 0) return result;
  const existing = result.headers ?? {};
  const vary = existing.vary ?? existing.Vary;
  return {
    ...result,
    headers: { ...existing, ...headers, ...(vary !== undefined && headers.vary ? { vary: `${String(vary)}, Origin` } : {}) },
  };
}
