import type { z } from 'zod';

/**
 * A route is defined once, by `defineRoute`, and three things take that one object: the handler
 * (shared/http/handler.ts takes operator, body and query schemas from it), the manifest (infra/manifest.ts
 * takes method, path, name and operator from it) and the OpenAPI generator (shared/http/openapi.ts). So a
 * route cannot be documented with one schema and parsed with another, nor routed at one path and documented
 * at another. The definitions themselves are in routes.ts.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Statuses answered with problem details (application/problem+json), as the contract assigns them. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429;

export type ApiTag = 'Service' | 'Campaigns' | 'Signatures' | 'Endorsements' | 'Subscriptions' | 'Confirmation' | 'Operators';

export type ApiContent =
  | { readonly type: 'json'; readonly schema: z.ZodType }
  | { readonly type: 'problem' }
  | { readonly type: 'html' }
  | { readonly type: 'atom' }
  | { readonly type: 'csv' }
  | { readonly type: 'pdf' }
  | { readonly type: 'openapi' };

/**
 * How long browsers and the CDN (CloudFront, infra/stack/edge.ts) may keep a successful answer of a public
 * GET route: the HTTP wrapper (handler.ts, caching.ts) sends it as `Cache-Control` with an `ETag`, answers 304
 * to a matching `If-None-Match`, and the distribution takes its lifetimes from that header. A route without
 * one is never kept (`no-store`): writes, operator routes and pages that hold personal data (confirm, unsubscribe).
 */
export interface RouteCache {
  /** `max-age`: fresh this long, in browsers and at the edge. */
  readonly maxAgeSeconds: number;
  /** `stale-while-revalidate`: after that, served at once while one request refreshes it. */
  readonly staleWhileRevalidateSeconds?: number;
  /** `stale-if-error`: served while the API answers 5xx (or cannot be reached), so a failing origin is not a blank widget. */
  readonly staleIfErrorSeconds?: number;
  /**
   * The answer is in the language `Accept-Language` asks for (pages for people, with `Vary: Accept-Language`):
   * the header joins the CDN's cache key, so a reader never gets a page kept for another language.
   */
  readonly varyByLanguage?: boolean;
}

export interface ApiResponse {
  readonly description: string;
  readonly content?: readonly ApiContent[];
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/campaigns/{slug}`. */
  readonly path: `/${string}`;
  /** The manifest's function name (PascalCase), and the operation's `operationId`. */
  readonly name: string;
  /** Operator route: a bearer token (local) or a Cognito JWT checked by API Gateway (AWS); 401 otherwise. */
  readonly operator?: boolean;
  readonly tag: ApiTag;
  readonly summary: string;
  readonly description?: string;
  /** Descriptions of path parameters other than the usual `slug` and `token`. */
  readonly params?: Readonly<Record<string, string>>;
  /** The JSON request body: the schema the handler parses it with, and its component name in the document. */
  readonly body?: { readonly name: string; readonly schema: z.ZodType };
  /** The query string: the schema the handler parses it with. */
  readonly query?: z.ZodObject;
  /** An optional form body that the route accepts and ignores (RFC 8058 one-click unsubscribe). */
  readonly oneClickForm?: boolean;
  /** Non-problem answers, success first. */
  readonly responses: Readonly<Record<number, ApiResponse>>;
  /** Problem details this route can answer with (besides 401, implied by `operator`). */
  readonly problems?: readonly ProblemStatus[];
  /** Public GET routes only: how long its successful answers may be kept (RouteCache); absent, `no-store`. */
  readonly cache?: RouteCache;
}

declare const defined: unique symbol;

/** A route as `defineRoute` made it: the handler wrapper and the manifest take nothing else. */
export type RouteDefinition<S extends RouteSpec = RouteSpec> = S & { readonly [defined]: true };

/** `const`: the literal types stay (`operator: true`, the exact schemas), so handlers get typed requests. */
export function defineRoute<const S extends RouteSpec>(spec: S): RouteDefinition<S> {
  return spec as RouteDefinition<S>;
}
