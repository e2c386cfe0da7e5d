import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface HttpEventOptions {
  method?: string;
  /** The route as API Gateway names it (`/campaigns/{slug}`): its parameters come from `pathParameters`. */
  route?: string;
  /** The path as requested; by default the route with its parameters filled in. */
  path?: string;
  pathParameters?: Record<string, string>;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  sourceIp?: string;
}

let requests = 0;

/** An API Gateway HTTP API (payload 2.0) event as Lambda receives it, for calling a handler directly. */
export function httpEvent(options: HttpEventOptions = {}): APIGatewayProxyEventV2 {
  const method = options.method ?? 'GET';
  const pathParameters = options.pathParameters ?? {};
  const route = options.route ?? options.path ?? '/';
  const path = options.path ?? route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathParameters[name] ?? name));
  const routeKey = `${method} ${route}`;
  requests++;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { host: 'localhost', ...options.headers },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'local',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: options.sourceIp ?? '127.0.0.1', userAgent: 'vitest' },
      requestId: `request-${requests}`,
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: options.isBase64Encoded ?? false,
    ...(options.body !== undefined ? { body: options.body } : {}),
  };
}

/** A JSON POST to a route. */
export function jsonPost(route: string, body: unknown, options: Omit<HttpEventOptions, 'method' | 'route' | 'body'> = {}): APIGatewayProxyEventV2 {
  return httpEvent({ ...options, method: 'POST', route, headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify(body) });
}
