import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpTrigger } from '#infra/manifest.ts';
import { preflightHeaders, withCors } from '#shared/http/cors.ts';
import { Problem } from '#shared/http/problem.ts';
import type { Invoke } from './functions.ts';
import type { Authorized, JwtAuthorizer } from './jwt-authorizer.ts';

export interface Route {
  trigger: HttpTrigger;
  invoke: Invoke;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
  routeKey: string;
}

// API Gateway's own payload limit; the handlers enforce the contract's much smaller one.
const maxPayloadBytes = 10 * 1024 * 1024;
const textTypes = /^(application\/(json|.*\+json|x-www-form-urlencoded|xml)|text\/)/i;

/**
 * The request target as API Gateway takes it: the path exactly as sent and the query string after `?`. Never
 * resolved against a base URL, which reads `//admin/campaigns` as host `admin` and path `/campaigns`, and
 * folds `..` segments. Anything but a path (a proxy's absolute URL, `*`) is not a request for an API.
 */
export function requestTarget(raw: string | undefined): { path: string; query: string } | undefined {
  const target = raw ?? '/';
  if (!target.startsWith('/')) return undefined;
  // Browsers do not send fragments; a client that does gets it dropped, as a URL parser would.
  const end = target.indexOf('#');
  const withoutFragment = end < 0 ? target : target.slice(0, end);
  const question = withoutFragment.indexOf('?');
  return question < 0
    ? { path: withoutFragment, query: '' }
    : { path: withoutFragment.slice(0, question), query: withoutFragment.slice(question + 1) };
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.trigger.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)(\+)?\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}$`), names, routeKey: `${route.trigger.method} ${route.trigger.path}` };
}

/**
 * A local API Gateway (HTTP API, payload format 2.0): requests become the same events Lambda receives,
 * and the handlers' results become responses. Unmatched requests go to the `$default` route.
 */
export class Gateway {
  private readonly routes: CompiledRoute[];
  private readonly fallback: CompiledRoute | undefined;
  private readonly server: http.Server;
  private inFlight = 0;

  /** When set, operator routes need a JWT it accepts, as on AWS; otherwise the handlers check the admin token. */
  private readonly authorizer: JwtAuthorizer | undefined;

  constructor(routes: Route[], options: { authorizer?: JwtAuthorizer } = {}) {
    this.authorizer = options.authorizer;
    const compiled = routes.map(compile);
    this.fallback = compiled.find((r) => r.trigger.path === '/$default');
    this.routes = compiled.filter((r) => r !== this.fallback);
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting connections and waits for requests under way: an acknowledged write is never cut off. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 20));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    try {
      const body = await readBody(req);
      if (body === undefined) return send(res, problem(413, 'too-large', 'The request body is too large.'));
      const target = requestTarget(req.url);
      if (!target) return send(res, problem(400, 'bad-request', 'The request target must be a path, such as /campaigns.'));
      const method = (req.method ?? 'GET').toUpperCase();
      // CORS preflight, as API Gateway answers it when CORS is configured on the API: for any routed path.
      const routed = method === 'OPTIONS' ? this.routes.filter((r) => r.pattern.test(target.path)).map((r) => r.trigger.method) : [];
      if (routed.length) return send(res, { statusCode: 204, headers: preflightHeaders(req.headers.origin, routed) });
      const match = this.match(method, target.path);
      if (!match) return send(res, problem(404, 'not-found', `There is no ${method} ${target.path}.`));
      if ('error' in match) return send(res, problem(400, 'bad-request', match.error));
      let authorized: Authorized | undefined;
      if (this.authorizer && match.route.trigger.operator) {
        authorized = await this.authorizer.authorize(req.headers.authorization);
        // API Gateway's own answer when its authorizer refuses: the function is not invoked.
        if (!authorized) return send(res, { statusCode: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }, body: '{"message":"Unauthorized"}' });
      }
      const event = toEvent(req, target, body, match.route.routeKey, match.params, authorized);
      const result = ((await match.route.invoke(event)) as APIGatewayProxyStructuredResultV2 | undefined) ?? { statusCode: 204 };
      // As API Gateway's CORS configuration does: public answers, problems included, may be read by pages on
      // allowed origins (the widget). Operator routes are not for browsers on other origins.
      send(res, match.route.trigger.operator ? result : withCors(event, result));
    } catch (error) {
      console.error('gateway: handler failed', error instanceof Error ? error.message : error);
      send(res, problem(500, 'internal', 'Something went wrong on our side.'));
    } finally {
      this.inFlight--;
    }
  }

  private match(method: string, pathname: string): { route: CompiledRoute; params: Record<string, string> } | { error: string } | undefined {
    for (const route of this.routes) {
      if (route.trigger.method !== method) continue;
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      } catch {
        return { error: 'The path is not validly percent-encoded.' };
      }
      return { route, params };
    }
    return this.fallback ? { route: { ...this.fallback, routeKey: '$default' }, params: {} } : undefined;
  }
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxPayloadBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function toEvent(
  req: http.IncomingMessage,
  target: { path: string; query: string },
  body: Buffer,
  routeKey: string,
  params: Record<string, string>,
  authorized: Authorized | undefined,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(target.query)) query[name] = name in query ? `${query[name]},${value}` : value;
  const contentType = headers['content-type'] ?? '';
  const isText = body.length === 0 || textTypes.test(contentType);
  // Like API Gateway: text stays text when it is valid UTF-8; anything else travels base64-encoded.
  const utf8 = isText ? new TextDecoder('utf-8', { fatal: true }) : undefined;
  let text: string | undefined;
  try {
    text = utf8?.decode(body);
  } catch {
    text = undefined;
  }
  const now = new Date();
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return {
    version: '2.0',
    routeKey,
    rawPath: target.path,
    rawQueryString: target.query,
    ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      ...(authorized ? { authorizer: { jwt: authorized } } : {}),
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method: req.method ?? 'GET', path: target.path, protocol: `HTTP/${req.httpVersion}`, sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: text ?? body.toString('base64'), isBase64Encoded: text === undefined } : { isBase64Encoded: false }),
  };
}

function send(res: http.ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

function problem(status: number, slug: string, detail: string): APIGatewayProxyStructuredResultV2 {
  const answer = new Problem(status, slug, detail);
  return { statusCode: status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(answer.body) };
}
