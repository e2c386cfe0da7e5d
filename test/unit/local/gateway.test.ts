import http from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Gateway, requestTarget, type Route } from '#infra/local/gateway.ts';
import type { JwtAuthorizer } from '#infra/local/jwt-authorizer.ts';
import type { HttpMethod } from '#infra/manifest.ts';

/** A handler that answers with the event it was given, so the test can look at it. */
const echo = async (event: unknown) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });

const route = (method: HttpMethod, path: string, invoke: Route['invoke'] = echo): Route => ({ trigger: { type: 'http', method, path }, invoke });

let gateway: Gateway | undefined;

async function start(routes: Route[], options: ConstructorParameters<typeof Gateway>[1] = {}): Promise<string> {
  gateway = new Gateway(routes, options);
  const port = await gateway.listen(0);
  return `http://127.0.0.1:${port}`;
}

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function eventFor(response: Response): Promise<APIGatewayProxyEventV2> {
  expect(response.status).toBe(200);
  return (await response.json()) as APIGatewayProxyEventV2;
}

describe('the local gateway turns HTTP requests into API Gateway v2 events', () => {
  const routes = [
    route('GET', '/campaigns'),
    route('GET', '/campaigns/{slug}'),
    route('POST', '/campaigns/{slug}/signatures'),
    route('GET', '/files/{path+}'),
  ];

  it('names the route and the path, and leaves out what the request does not have', async () => {
    const url = await start(routes);
    const event = await eventFor(await fetch(`${url}/campaigns`));
    expect(event).toMatchObject({ version: '2.0', routeKey: 'GET /campaigns', rawPath: '/campaigns', rawQueryString: '', isBase64Encoded: false });
    expect(event.requestContext).toMatchObject({ routeKey: 'GET /campaigns', stage: '$default', http: { method: 'GET', path: '/campaigns' } });
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('body');
  });

  it('decodes path parameters', async () => {
    const url = await start(routes);
    const event = await eventFor(await fetch(`${url}/campaigns/${encodeURIComponent('libérez zefzafi')}`));
    expect(event.routeKey).toBe('GET /campaigns/{slug}');
    expect(event.rawPath).toBe('/campaigns/lib%C3%A9rez%20zefzafi');
    expect(event.pathParameters).toEqual({ slug: 'libérez zefzafi' });
  });

  it('lets a greedy parameter span segments', async () => {
    const url = await start(routes);
    const event = await eventFor(await fetch(`${url}/files/a/b/c.txt`));
    expect(event.pathParameters).toEqual({ path: 'a/b/c.txt' });
  });

  it('answers 400 for a path parameter that is not valid percent-encoding', async () => {
    const url = await start(routes);
    const response = await fetch(`${url}/campaigns/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('passes the query string, decoded, joining repeated parameters with commas', async () => {
    const url = await start(routes);
    const event = await eventFor(await fetch(`${url}/campaigns?status=open&limit=7&kind=petition&kind=appeal&q=a%20b`));
    expect(event.rawQueryString).toBe('status=open&limit=7&kind=petition&kind=appeal&q=a%20b');
    expect(event.queryStringParameters).toEqual({ status: 'open', limit: '7', kind: 'petition,appeal', q: 'a b' });
  });

  it('gives headers lower-cased, cookies apart, and the caller address and method in the request context', async () => {
    const url = await start(routes);
    const event = await eventFor(await fetch(`${url}/campaigns`, { headers: { 'X-Custom-Header': 'Value', 'User-Agent': 'tadamon-test', Cookie: 'a=1; b=2' } }));
    expect(event.headers['x-custom-header']).toBe('Value');
    expect(event.headers).not.toHaveProperty('X-Custom-Header');
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.requestContext.http).toMatchObject({ method: 'GET', sourceIp: '127.0.0.1', userAgent: 'tadamon-test' });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes a JSON body as text', async () => {
    const url = await start(routes);
    const body = JSON.stringify({ name: 'ناصر', email: 'a@example.org' });
    const event = await eventFor(await fetch(`${url}/campaigns/x/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    expect(event.routeKey).toBe('POST /campaigns/{slug}/signatures');
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.body).toBe(body);
  });

  it('passes a binary body base64-encoded', async () => {
    const url = await start(routes);
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f]);
    const event = await eventFor(await fetch(`${url}/campaigns/x/signatures`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes }));
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it('passes text that is not valid UTF-8 base64-encoded', async () => {
    const url = await start(routes);
    const bytes = Buffer.from([0x7b, 0xc3, 0x28, 0x7d]);
    const event = await eventFor(await fetch(`${url}/campaigns/x/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes }));
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it("sends back the handler's status, headers and body", async () => {
    const url = await start([
      route('POST', '/things', async () => ({ statusCode: 201, headers: { Location: '/things/1', 'content-type': 'application/json' }, body: '{"id":1}' })),
    ]);
    const response = await fetch(`${url}/things`, { method: 'POST' });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/things/1');
    expect(await response.json()).toEqual({ id: 1 });
  });

  it('answers a problem+json 500 when the handler itself fails, without its message', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const url = await start([
      route('GET', '/boom', async () => {
        throw new Error('secret internals');
      }),
    ]);
    const response = await fetch(`${url}/boom`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.text()).not.toContain('secret internals');
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});

describe('unmatched requests', () => {
  it('get a problem+json 404 when there is no $default route', async () => {
    const url = await start([route('GET', '/campaigns')]);
    for (const [method, path] of [['GET', '/nowhere'], ['POST', '/campaigns'], ['GET', '/campaigns/extra']] as const) {
      const response = await fetch(`${url}${path}`, { method });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 404, title: 'Not Found' });
    }
  });

  it('go to the $default route when there is one, whatever the method', async () => {
    const url = await start([route('GET', '/campaigns'), route('GET', '/$default')]);
    const get = await eventFor(await fetch(`${url}/nowhere?x=1`));
    expect(get).toMatchObject({ routeKey: '$default', rawPath: '/nowhere', queryStringParameters: { x: '1' } });
    const del = await eventFor(await fetch(`${url}/campaigns`, { method: 'DELETE' }));
    expect(del).toMatchObject({ routeKey: '$default', requestContext: { http: { method: 'DELETE' } } });
    expect((await eventFor(await fetch(`${url}/campaigns`))).routeKey).toBe('GET /campaigns');
  });
});

describe('the request path is always a path', () => {
  it('splits the target at the first ?, keeping the path exactly as sent', () => {
    expect(requestTarget('//admin/campaigns')).toEqual({ path: '//admin/campaigns', query: '' });
    expect(requestTarget('/campaigns/../admin/campaigns?x=1?y#frag')).toEqual({ path: '/campaigns/../admin/campaigns', query: 'x=1?y' });
    expect(requestTarget('/campaigns?')).toEqual({ path: '/campaigns', query: '' });
    expect(requestTarget('http://admin/campaigns')).toBeUndefined();
    expect(requestTarget('*')).toBeUndefined();
  });

  it('does not read //admin/campaigns as host "admin" and path /campaigns: it is a path no route has', async () => {
    const url = await start([route('GET', '/campaigns'), route('GET', '/admin/campaigns'), route('GET', '/$default')]);
    const response = await rawRequest(url, '//admin/campaigns');
    const event = JSON.parse(response.body) as APIGatewayProxyEventV2;
    expect(event).toMatchObject({ routeKey: '$default', rawPath: '//admin/campaigns', requestContext: { http: { path: '//admin/campaigns' } } });
  });

  it('gives a path that only looks like an operator route no way around the authorizer', async () => {
    const authorize = vi.fn(async () => undefined);
    const authorizer = { authorize } as unknown as JwtAuthorizer;
    const admin: Route = { trigger: { type: 'http', method: 'GET', path: '/admin/campaigns', operator: true }, invoke: echo };
    const url = await start([route('GET', '/campaigns'), admin], { authorizer });
    // Parsed as a URL, this was GET /campaigns on host "admin": a public route, answered 200.
    expect((await rawRequest(url, '//admin/campaigns')).status).toBe(404);
    expect((await rawRequest(url, '/admin/campaigns')).status).toBe(401);
    expect(authorize).toHaveBeenCalledTimes(1);
  });

  it('keeps dot segments: /campaigns/../admin/campaigns is not /admin/campaigns', async () => {
    const url = await start([route('GET', '/campaigns/{slug}/counts'), route('GET', '/admin/campaigns')]);
    expect((await rawRequest(url, '/campaigns/../admin/campaigns')).status).toBe(404);
  });

  it('answers 400 to a target that is not a path (a proxy-style absolute URL)', async () => {
    const url = await start([route('GET', '/campaigns'), route('GET', '/$default')]);
    const response = await rawRequest(url, 'http://elsewhere.example/campaigns');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ status: 400 });
  });
});

describe('closing', () => {
  it('waits for a request under way, which still gets its answer', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const url = await start([
      route('POST', '/slow', async () => {
        started();
        await released;
        return { statusCode: 202, body: 'done' };
      }),
    ]);
    const response = requestText(`${url}/slow`, 'POST');
    await running;
    const events: string[] = [];
    const closing = gateway!.close().then(() => events.push('closed'));
    gateway = undefined;
    // Closing is under way: the gateway no longer accepts connections. It has not finished, though.
    await expect(fetch(`${url}/slow`, { method: 'POST' })).rejects.toThrow();
    events.push('released');
    release();
    expect(await response).toEqual({ status: 202, body: 'done' });
    await closing;
    expect(events).toEqual(['released', 'closed']);
  });
});

/** Sends a request made by `start` and collects its status and body as text. */
function collect(start: (done: (response: http.IncomingMessage) => void) => http.ClientRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = start((response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** A request with the target written exactly as given: fetch would normalise it first. */
function rawRequest(base: string, target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return collect((done) => http.request({ host: hostname, port, path: target, method: 'GET', agent: false }, done));
}

function requestText(url: string, method: string): Promise<{ status: number; body: string }> {
  return collect((done) => http.request(url, { method, agent: false }, done));
}
