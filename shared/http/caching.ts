import { createHash } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpResult } from './responses.ts';
import type { RouteCache, RouteSpec } from './route-definition.ts';

/**
 * HTTP caching, decided once for every route by its definition (`cache` in routes.ts), never by a handler:
 * the answer's `Cache-Control`, a strong `ETag` on cacheable answers, and `304 Not Modified` when the request's
 * `If-None-Match` names it. CloudFront (infra/stack/edge.ts) keeps answers as long as `Cache-Control` says and
 * revalidates expired ones with `If-None-Match`, so an unchanged count costs the origin a 304 without a body.
 */

/** What a route without `cache` and every unsuccessful answer carry: no browser or CDN keeps them. */
export const noStore = 'no-store';

/** The `Cache-Control` value of a successful answer of this route. */
export function cacheControlOf(cache: RouteCache | undefined): string {
  if (!cache) return noStore;
  return [
    'public',
    `max-age=${cache.maxAgeSeconds}`,
    ...(cache.staleWhileRevalidateSeconds ? [`stale-while-revalidate=${cache.staleWhileRevalidateSeconds}`] : []),
    ...(cache.staleIfErrorSeconds ? [`stale-if-error=${cache.staleIfErrorSeconds}`] : []),
  ].join(', ');
}

/** A strong validator of the body: the same bytes, the same tag, in every instance and after every restart. */
export function entityTag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * RFC 9110 §13.1.2: `If-None-Match` compares weakly (a `W/` prefix is ignored: CloudFront weakens the tags
 * of answers it compresses), and `*` matches any current answer.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === opaque;
  });
}

function header(headers: HttpResult['headers'], name: string): string | undefined {
  const found = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return found === undefined ? undefined : String(found[1]);
}

function withoutHeaders(headers: HttpResult['headers'], names: readonly string[]): NonNullable<HttpResult['headers']> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([key]) => !names.includes(key.toLowerCase())));
}

/** Applies the route's caching to an answer (the handler's, or the problem details an error became). */
export function applyCaching(route: Pick<RouteSpec, 'cache' | 'method'>, event: APIGatewayProxyEventV2, result: HttpResult): HttpResult {
  const status = result.statusCode;
  const cacheable = route.cache !== undefined && route.method === 'GET' && ((status >= 200 && status < 300) || status === 304);
  // A route's `Cache-Control` is its definition's alone, whatever a handler set.
  const headers = { ...withoutHeaders(result.headers, ['cache-control']), 'cache-control': cacheable ? cacheControlOf(route.cache) : noStore };
  if (!cacheable) return { ...result, headers };
  if (status === 304) return { ...result, headers };

  const etag = header(result.headers, 'etag') ?? (result.body === undefined ? undefined : entityTag(result.body));
  if (etag === undefined) return { ...result, headers };
  const tagged = { ...withoutHeaders(headers, ['etag']), etag };
  if (status === 200 && ifNoneMatchMatches(event.headers?.['if-none-match'] ?? event.headers?.['If-None-Match'], etag)) {
    // RFC 9110 §15.4.5: no body, and the headers a 200 would carry that caches need (Cache-Control, ETag, Vary).
    const { body: _body, isBase64Encoded: _encoded, ...rest } = result;
    return { ...rest, statusCode: 304, headers: withoutHeaders(tagged, ['content-type', 'content-length', 'content-encoding']) };
  }
  return { ...result, headers: tagged };
}

/**
 * The wrapper's middleware: registered before problemDetails(), so that its onError runs after the error has
 * become an answer (middy runs onError in reverse order), and problem details are `no-store` too.
 */
export function httpCaching(route: Pick<RouteSpec, 'cache' | 'method'>): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  const apply = (request: { event: APIGatewayProxyEventV2; response: HttpResult | undefined | null }) => {
    if (request.response) request.response = applyCaching(route, request.event, request.response);
  };
  return { after: apply, onError: apply };
}
