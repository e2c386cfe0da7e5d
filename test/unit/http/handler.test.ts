import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { z } from 'zod';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { resetConfig } from '#shared/config.ts';
import { emailAddress, singleLine } from '#shared/domain/fields.ts';
import { httpHandler, routeOf, type HttpHandler } from '#shared/http/handler.ts';
import type { Operator } from '#shared/http/operator-auth.ts';
import { conflict } from '#shared/http/problem.ts';
import { json, type HttpResult } from '#shared/http/responses.ts';
import { defineRoute } from '#shared/http/route-definition.ts';
import { logger } from '#shared/observability.ts';
import { httpEvent, type HttpEventOptions } from '#test/support/http-event.ts';

const adminToken = 'operator-token-for-unit-tests';

function event(options: Omit<HttpEventOptions, 'route'> = {}): APIGatewayProxyEventV2 {
  return httpEvent({ method: 'POST', path: '/things', ...options });
}

const jsonPost = (body: string, headers: Record<string, string> = {}) => event({ headers: { 'content-type': 'application/json', ...headers }, body });

async function call(handler: HttpHandler, request: APIGatewayProxyEventV2): Promise<HttpResult & { json: Record<string, unknown> }> {
  const result = await handler(request, lambdaContext('UnitTest', 10));
  return { ...result, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

function expectProblem(result: HttpResult & { json: Record<string, unknown> }, status: number) {
  expect(result.statusCode).toBe(status);
  expect(result.headers?.['content-type']).toBe('application/problem+json');
  expect(result.json).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//) as unknown, title: expect.any(String) as unknown, detail: expect.any(String) as unknown });
}

const signup = z.strictObject({ name: singleLine(50), email: emailAddress, public: z.boolean().default(false) });
/** Ad-hoc routes: what the wrapper reads from a definition is `operator`, `body` and `query`; the rest documents. */
const testRoute = { method: 'POST', path: '/things', name: 'UnitTest', tag: 'Service', summary: 'A test route', responses: {} } as const;
const signupRoute = defineRoute({ ...testRoute, body: { name: 'Signup', schema: signup } });
const adminSignupRoute = defineRoute({ ...testRoute, operator: true, body: { name: 'Signup', schema: signup } });
const received: unknown[] = [];
const publicHandler = httpHandler(signupRoute, async ({ body }) => {
  received.push(body);
  return json(202, { status: 'pending' });
});
const adminHandler = httpHandler(adminSignupRoute, async ({ body, operator }) => {
  received.push(body);
  return json(200, { operator: operator.id, name: body.name });
});
const adminReadHandler = httpHandler(defineRoute({ ...testRoute, method: 'GET', operator: true }), async ({ operator, path }) => json(200, { operator: operator.id, slug: path.slug }));
const queryRoute = defineRoute({ ...testRoute, method: 'GET', query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) });
const queryHandler = httpHandler(queryRoute, async ({ query }) => json(200, query));

beforeEach(() => {
  received.length = 0;
  vi.stubEnv('ADMIN_TOKEN', adminToken);
  resetConfig();
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  resetConfig();
});

describe('httpHandler: the route definition', () => {
  it('records the definition each handler was made from, and nothing for any other function', () => {
    expect(routeOf(publicHandler)).toBe(signupRoute);
    expect(routeOf(adminHandler)).toBe(adminSignupRoute);
    expect(routeOf(queryHandler)).toBe(queryRoute);
    expect(routeOf(async () => ({ statusCode: 200 }))).toBeUndefined();
  });

  it('types the request from the definition: parsed body and query, and an operator on operator routes', () => {
    httpHandler(adminSignupRoute, async ({ body, operator, query }) => {
      expectTypeOf(body).toEqualTypeOf<{ name: string; email: string; public: boolean }>();
      expectTypeOf(operator.id).toBeString();
      expectTypeOf(query).toBeUndefined();
      return json(200, {});
    });
    httpHandler(queryRoute, async ({ body, query, operator }) => {
      expectTypeOf(query).toEqualTypeOf<{ limit: number }>();
      expectTypeOf(body).toBeUndefined();
      expectTypeOf(operator).toEqualTypeOf<Operator | undefined>();
      return json(200, {});
    });
  });
});

describe('httpHandler: bodies', () => {
  it('passes a valid JSON body to the handler, parsed by the schema', async () => {
    const result = await call(publicHandler, jsonPost(JSON.stringify({ name: ' Amina ', email: 'amina@example.org' })));
    expect(result.statusCode).toBe(202);
    expect(result.json).toEqual({ status: 'pending' });
    expect(received).toEqual([{ name: 'Amina', email: 'amina@example.org', public: false }]);
  });

  it('accepts application/json with a charset, and a base64-encoded body', async () => {
    const body = JSON.stringify({ name: 'Amina', email: 'amina@example.org' });
    expect((await call(publicHandler, jsonPost(body, { 'content-type': 'application/json; charset=utf-8' }))).statusCode).toBe(202);
    const encoded = event({ headers: { 'content-type': 'application/json' }, body: Buffer.from(body).toString('base64'), isBase64Encoded: true });
    expect((await call(publicHandler, encoded)).statusCode).toBe(202);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['XML', 'application/xml'],
  ])('answers 415 to %s', async (_what, contentType) => {
    const result = await call(publicHandler, jsonPost(JSON.stringify({ name: 'Amina', email: 'amina@example.org' }), { 'content-type': contentType }));
    expectProblem(result, 415);
    expect(received).toEqual([]);
  });

  it('answers 415 to a body without a content type', async () => {
    expectProblem(await call(publicHandler, event({ body: '{"name":"Amina","email":"amina@example.org"}' })), 415);
  });

  it.each([
    ['malformed JSON', '{"name": "Amina",'],
    ['a JSON array', '[{"name":"Amina","email":"amina@example.org"}]'],
    ['a JSON number', '42'],
    ['a JSON string', '"Amina"'],
    ['JSON null', 'null'],
    ['a __proto__ key', '{"name":"Amina","email":"amina@example.org","__proto__":{"admin":true}}'],
  ])('answers 400 to %s', async (_what, body) => {
    const result = await call(publicHandler, jsonPost(body));
    expectProblem(result, 400);
    expect(received).toEqual([]);
  });

  it('answers 400 to a request with no body at all', async () => {
    expectProblem(await call(publicHandler, event({ headers: { 'content-type': 'application/json' } })), 400);
  });

  it('answers 413 to a body over 16 KiB, counting bytes, not characters', async () => {
    const base = JSON.stringify({ name: 'Amina', email: 'amina@example.org', pad: '' });
    // Exactly at the limit is still read (and then refused only for its unknown field).
    const atLimit = base.replace('"pad":""', `"pad":"${'x'.repeat(16 * 1024 - base.length)}"`);
    expect(Buffer.byteLength(atLimit)).toBe(16 * 1024);
    expectProblem(await call(publicHandler, jsonPost(atLimit)), 400);
    // Two-byte characters: fewer than 16,384 characters, but more than 16 KiB.
    const multiByte = base.replace('"pad":""', `"pad":"${'é'.repeat(8200)}"`);
    expect(multiByte.length).toBeLessThan(16 * 1024);
    const result = await call(publicHandler, jsonPost(multiByte));
    expectProblem(result, 413);
  });

  it('measures a base64-encoded body by its decoded size', async () => {
    const body = JSON.stringify({ name: 'Amina', email: 'amina@example.org', pad: 'x'.repeat(13_000) });
    // ~17.4 KB as base64, ~13 KB decoded: under the limit.
    const result = await call(publicHandler, event({ headers: { 'content-type': 'application/json' }, body: Buffer.from(body).toString('base64'), isBase64Encoded: true }));
    // Read and validated (refused for its unknown field), not refused for its size.
    expectProblem(result, 400);
    expect(result.json.errors).toEqual([{ path: 'body', message: expect.stringContaining('pad') as unknown }]);
  });

  it('takes its limit from MAX_BODY_BYTES', async () => {
    vi.stubEnv('MAX_BODY_BYTES', '64');
    resetConfig();
    const small = JSON.stringify({ name: 'Amina', email: 'a@example.org' });
    const large = JSON.stringify({ name: 'Amina Benali El Idrissi', email: 'amina.benali.elidrissi@example.org' });
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(64);
    expect(Buffer.byteLength(large)).toBeGreaterThan(64);
    expect((await call(publicHandler, jsonPost(small))).statusCode).toBe(202);
    expectProblem(await call(publicHandler, jsonPost(large)), 413);
  });

  it('answers a validation problem naming each field at fault', async () => {
    const result = await call(publicHandler, jsonPost(JSON.stringify({ name: 'Amina\u202E', email: 'not-an-address', public: 'yes' })));
    expectProblem(result, 400);
    const errors = result.json.errors as { path: string; message: string }[];
    expect(errors.map((e) => e.path).sort()).toEqual(['email', 'name', 'public']);
    for (const error of errors) expect(error.message).toEqual(expect.any(String));
    expect(received).toEqual([]);
  });

  it('names the body itself for an unknown field', async () => {
    const result = await call(publicHandler, jsonPost(JSON.stringify({ name: 'Amina', email: 'amina@example.org', role: 'admin' })));
    expectProblem(result, 400);
    expect(result.json.errors).toEqual([{ path: 'body', message: expect.stringContaining('role') as unknown }]);
  });
});

describe('httpHandler: query strings', () => {
  it('parses the query with its schema', async () => {
    expect((await call(queryHandler, event({ method: 'GET', query: { limit: '7' } }))).json).toEqual({ limit: 7 });
    expect((await call(queryHandler, event({ method: 'GET' }))).json).toEqual({ limit: 20 });
  });

  it('answers 400 naming the parameter at fault', async () => {
    const result = await call(queryHandler, event({ method: 'GET', query: { limit: '1000' } }));
    expectProblem(result, 400);
    expect(result.json.errors).toEqual([{ path: 'limit', message: expect.any(String) as unknown }]);
  });
});

describe('httpHandler: operator routes', () => {
  const body = JSON.stringify({ name: 'Amina', email: 'amina@example.org' });

  it('answers 401 without a token, with WWW-Authenticate', async () => {
    const result = await call(adminHandler, jsonPost(body));
    expectProblem(result, 401);
    expect(result.headers?.['WWW-Authenticate']).toBe('Bearer');
    expect(received).toEqual([]);
  });

  it.each([
    ['a wrong token', `Bearer ${adminToken}x`],
    ['a prefix of the token', `Bearer ${adminToken.slice(0, 10)}`],
    ['another scheme', `Basic ${Buffer.from(`admin:${adminToken}`).toString('base64')}`],
    ['the bare token', adminToken],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 to %s', async (_what, authorization) => {
    expectProblem(await call(adminHandler, jsonPost(body, { authorization })), 401);
    expect(received).toEqual([]);
  });

  it('answers 401 to everyone when no ADMIN_TOKEN is configured', async () => {
    vi.stubEnv('ADMIN_TOKEN', undefined);
    resetConfig();
    expectProblem(await call(adminReadHandler, event({ method: 'GET', headers: { authorization: 'Bearer ' } })), 401);
    expectProblem(await call(adminReadHandler, event({ method: 'GET', headers: { authorization: 'Bearer undefined' } })), 401);
  });

  it('answers 401 before looking at the body: an anonymous caller learns nothing about it', async () => {
    for (const request of [jsonPost('{"broken'), jsonPost('[]'), jsonPost(JSON.stringify({ name: 'x'.repeat(500) })), event({ body, headers: { 'content-type': 'text/plain' } }), jsonPost(`{"pad":"${'x'.repeat(20_000)}"}`)]) {
      expectProblem(await call(adminHandler, request), 401);
    }
  });

  it('lets the operator in with the right bearer token', async () => {
    const result = await call(adminHandler, jsonPost(body, { authorization: `Bearer ${adminToken}` }));
    expect(result.statusCode).toBe(200);
    expect(result.json).toEqual({ operator: 'admin-token', name: 'Amina' });
  });

  it('accepts the scheme in any case and the header in either spelling', async () => {
    expect((await call(adminReadHandler, event({ method: 'GET', headers: { authorization: `bearer ${adminToken}` } }))).statusCode).toBe(200);
    expect((await call(adminReadHandler, event({ method: 'GET', headers: { Authorization: `Bearer ${adminToken}` } }))).statusCode).toBe(200);
  });

  it('validates the body of an authenticated operator', async () => {
    const result = await call(adminHandler, jsonPost(JSON.stringify({ name: 'Amina' }), { authorization: `Bearer ${adminToken}` }));
    expectProblem(result, 400);
    expect(result.json.errors).toEqual([{ path: 'email', message: expect.any(String) as unknown }]);
  });

  it('trusts claims that API Gateway checked (Cognito on AWS)', async () => {
    const request = event({ method: 'GET' });
    (request.requestContext as unknown as Record<string, unknown>).authorizer = { jwt: { claims: { sub: 'user-123' }, scopes: [] } };
    const result = await call(adminReadHandler, request);
    expect(result.statusCode).toBe(200);
    expect(result.json.operator).toBe('cognito:user-123');
  });

  it('decodes path parameters for the handler', async () => {
    const result = await call(adminReadHandler, event({ method: 'GET', headers: { authorization: `Bearer ${adminToken}` }, pathParameters: { slug: 'free-nasser-zefzafi' } }));
    expect(result.json.slug).toBe('free-nasser-zefzafi');
  });
});

describe('httpHandler: errors', () => {
  it('renders a Problem thrown by the handler as problem details', async () => {
    const handler = httpHandler(defineRoute(testRoute), async () => {
      throw conflict('campaign-closed', 'This campaign is not accepting signatures.');
    });
    const result = await call(handler, event({ method: 'POST' }));
    expectProblem(result, 409);
    expect(result.json).toEqual({ type: 'https://tadamon.org/problems/campaign-closed', title: 'Conflict', status: 409, detail: 'This campaign is not accepting signatures.' });
  });

  it('answers an unexpected error with a 500 that says nothing about it, and logs it', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const secret = 'connect ECONNREFUSED 10.0.0.7:8000 amina@example.org';
    const handler = httpHandler(defineRoute(testRoute), async () => {
      throw new TypeError(secret);
    });
    const result = await call(handler, event({ method: 'GET' }));
    expectProblem(result, 500);
    expect(result.body).not.toContain('ECONNREFUSED');
    expect(result.body).not.toContain('amina@example.org');
    expect(result.body).not.toContain('TypeError');
    expect(result.body).not.toMatch(/\bat .*\.ts:\d+/);
    expect(Object.keys(result.json).sort()).toEqual(['detail', 'status', 'title', 'type']);
    expect(logged).toHaveBeenCalledOnce();
  });
});
