import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { resetConfig } from '#shared/config.ts';
import { cacheControlOf, entityTag, ifNoneMatchMatches } from '#shared/http/caching.ts';
import { httpHandler, type HttpHandler } from '#shared/http/handler.ts';
import { openApiDocument, type OpenApiResponse } from '#shared/http/openapi.ts';
import { notFound } from '#shared/http/problem.ts';
import { json, type HttpResult } from '#shared/http/responses.ts';
import { defineRoute, type RouteDefinition } from '#shared/http/route-definition.ts';
import * as routes from '#shared/http/routes.ts';
import { httpEvent, type HttpEventOptions } from '#test/support/http-event.ts';

/**
 * The wrapper's HTTP caching (shared/http/caching.ts): every answer's Cache-Control comes from its route's
 * definition, cacheable answers carry an ETag, and a matching If-None-Match gets a 304 without a body.
 */

const base = { path: '/things/{slug}', name: 'UnitTest', tag: 'Service', summary: 'A test route', responses: {} } as const;
const cachedRoute = defineRoute({ ...base, method: 'GET', query: z.object({ limit: z.string().optional() }), cache: { maxAgeSeconds: 5, staleWhileRevalidateSeconds: 10, staleIfErrorSeconds: 300 } });
const uncachedRoute = defineRoute({ ...base, method: 'GET' });
const postRoute = defineRoute({ ...base, method: 'POST' });

let counter = 0;
const cached = httpHandler(cachedRoute, async ({ path }) => {
  if (path.slug === 'missing') throw notFound('No such thing.');
  // A handler's own Cache-Control does not count: the definition decides.
  return json(200, { slug: path.slug, counter }, { 'cache-control': 'public, max-age=99999' });
});
const uncached = httpHandler(uncachedRoute, async () => json(200, { personal: 'data' }, { 'cache-control': 'public, max-age=60' }));
const posted = httpHandler(postRoute, async () => json(202, { status: 'pending' }));

async function call(handler: HttpHandler, options: Omit<HttpEventOptions, 'route'> = {}): Promise<HttpResult> {
  const event: APIGatewayProxyEventV2 = httpEvent({ route: '/things/{slug}', pathParameters: { slug: 'one' }, ...options });
  return handler(event, lambdaContext('UnitTest', 10));
}

beforeEach(() => {
  counter = 0;
  resetConfig();
});

afterEach(() => {
  vi.unstubAllEnvs();
  resetConfig();
});

describe('Cache-Control from the route definition', () => {
  it('spells the definition out', () => {
    expect(cacheControlOf(cachedRoute.cache)).toBe('public, max-age=5, stale-while-revalidate=10, stale-if-error=300');
    expect(cacheControlOf({ maxAgeSeconds: 60 })).toBe('public, max-age=60');
    expect(cacheControlOf(undefined)).toBe('no-store');
  });

  it("answers a cacheable route's success with its lifetime and an ETag, overriding the handler", async () => {
    const result = await call(cached);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['cache-control']).toBe('public, max-age=5, stale-while-revalidate=10, stale-if-error=300');
    expect(result.headers?.etag).toBe(entityTag(result.body!));
    expect(result.headers?.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });

  it('never keeps problem answers, routes without a cache, or writes', async () => {
    const missing = await call(cached, { pathParameters: { slug: 'missing' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers?.['cache-control']).toBe('no-store');
    expect(missing.headers?.etag).toBeUndefined();
    const personal = await call(uncached);
    expect(personal.headers?.['cache-control']).toBe('no-store');
    expect(personal.headers?.etag).toBeUndefined();
    const write = await call(posted, { method: 'POST' });
    expect(write.statusCode).toBe(202);
    expect(write.headers?.['cache-control']).toBe('no-store');
  });
});

describe('ETag and If-None-Match', () => {
  it('answers 304 without a body while the tag matches, and 200 with a new tag once the answer changes', async () => {
    const first = await call(cached);
    const etag = String(first.headers?.etag);
    const again = await call(cached, { headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBeUndefined();
    expect(again.headers?.etag).toBe(etag);
    expect(again.headers?.['cache-control']).toBe(first.headers?.['cache-control']);
    expect(again.headers?.['content-type']).toBeUndefined();

    counter++;
    const changed = await call(cached, { headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers?.etag).not.toBe(etag);
    expect(JSON.parse(changed.body!)).toEqual({ slug: 'one', counter: 1 });
  });

  it('compares weakly, takes lists and `*`, and ignores other tags', async () => {
    const etag = String((await call(cached)).headers?.etag);
    expect((await call(cached, { headers: { 'if-none-match': `W/${etag}` } })).statusCode).toBe(304);
    expect((await call(cached, { headers: { 'if-none-match': `"other", ${etag}` } })).statusCode).toBe(304);
    expect((await call(cached, { headers: { 'if-none-match': '*' } })).statusCode).toBe(304);
    expect((await call(cached, { headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
    expect((await call(cached, { headers: { 'if-none-match': etag.slice(1, -1) } })).statusCode).toBe(200);
    expect(ifNoneMatchMatches(undefined, etag)).toBe(false);
    expect(ifNoneMatchMatches(etag, `W/${etag}`)).toBe(true);
  });

  it('gives different bodies different tags and the same body the same tag', () => {
    expect(entityTag('{"total":1}')).toBe(entityTag('{"total":1}'));
    expect(entityTag('{"total":1}')).not.toBe(entityTag('{"total":2}'));
  });
});

describe('the routes', () => {
  const all: readonly RouteDefinition[] = [...routes.documentedRoutes, routes.notFound];

  it('caches public GET routes only', () => {
    for (const route of all.filter((r) => r.cache)) {
      expect(route.method, `${route.path}`).toBe('GET');
      expect(route.operator ?? false, `${route.path}`).toBe(false);
    }
  });

  it('never caches pages that hold personal data (confirmation and unsubscribe links), readiness, or operator reads', () => {
    for (const route of [routes.getConfirmPage, routes.getUnsubscribePage, routes.health, routes.adminListCampaigns, routes.adminGetCampaign] as RouteDefinition[]) {
      expect(cacheControlOf(route.cache), route.path).toBe('no-store');
    }
    expect(all.filter((r) => r.cache && /\{token\}/.test(r.path))).toEqual([]);
  });

  it('keeps counts a few seconds (stale while revalidating), campaigns and lists longer, the feed minutes', () => {
    const counts = routes.getCampaignCounts.cache!;
    expect(counts.maxAgeSeconds).toBeLessThanOrEqual(10);
    expect(counts.staleWhileRevalidateSeconds).toBeGreaterThan(0);
    for (const longer of [routes.getCampaign, routes.listCampaigns, routes.listSignatures, routes.listEndorsements]) {
      expect(longer.cache!.maxAgeSeconds, longer.path).toBeGreaterThan(counts.maxAgeSeconds);
    }
    expect(routes.getFeed.cache!.maxAgeSeconds).toBeGreaterThanOrEqual(60);
  });
});

describe('the OpenAPI document', () => {
  const document = openApiDocument('https://tadamon.example.org');

  it("states each answer's Cache-Control, and an ETag, If-None-Match and a 304 on cacheable routes", () => {
    const counts = document.paths['/campaigns/{slug}/counts']!.get!;
    const ok = counts.responses['200'] as OpenApiResponse;
    expect(ok.headers?.['Cache-Control']?.description).toContain('public, max-age=5, stale-while-revalidate=10');
    expect(ok.headers?.ETag).toBeDefined();
    expect(counts.responses['304']).toBeDefined();
    expect(counts.parameters?.find((p) => p.name === 'If-None-Match')).toMatchObject({ in: 'header', required: false });

    const page = document.paths['/confirm/{token}']!.get!;
    expect((page.responses['200'] as OpenApiResponse).headers?.['Cache-Control']?.description).toContain('no-store');
    expect(page.responses['304']).toBeUndefined();
    expect(page.parameters?.find((p) => p.name === 'If-None-Match')).toBeUndefined();
  });
});
