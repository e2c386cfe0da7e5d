import middy, { type MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { config } from '#shared/config.ts';
import { logger, metrics, unhandledErrorMetric } from '#shared/observability.ts';
import { secretsFirst } from '#shared/triggers/secrets-first.ts';
import { httpCaching } from './caching.ts';
import { authenticateOperator, type Operator } from './operator-auth.ts';
import { Problem, problemFor, validationProblem } from './problem.ts';
import type { HttpResult } from './responses.ts';
import type { RouteDefinition } from './route-definition.ts';

type Schema = z.ZodType;

/** What the route's schemas parse to: the handler's request is typed by the definition it was made from. */
type BodyOf<R> = R extends { body: { schema: infer S extends Schema } } ? z.infer<S> : undefined;
type QueryOf<R> = R extends { query: infer S extends Schema } ? z.infer<S> : undefined;
type OperatorOf<R> = R extends { operator: true } ? true : false;

export interface HttpRequest<B, Q, A extends boolean = boolean> {
  event: APIGatewayProxyEventV2;
  body: B;
  query: Q;
  path: Record<string, string>;
  /** Always there on operator routes (`operator: true`): anyone else is refused before the handler runs. */
  operator: A extends true ? Operator : Operator | undefined;
}

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;

type RequestOf<R> = HttpRequest<BodyOf<R>, QueryOf<R>, OperatorOf<R>>;

const madeFrom = new WeakMap<HttpHandler, RouteDefinition>();

/**
 * Every HTTP handler is this: middy with problem+json errors, size and media-type checks, zod validation,
 * and operator authentication, so a handler body only parses → calls the domain → answers. Whether the
 * route is an operator's and which schemas parse its body and query come from its definition (routes.ts)
 * and nowhere else: the schemas it parses with are the ones the OpenAPI document shows.
 */
export function httpHandler<R extends RouteDefinition>(route: R, fn: (request: RequestOf<R>) => Promise<HttpResult>): HttpHandler {
  const handler = middy<APIGatewayProxyEventV2, HttpResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(flushMetrics())
    // Before problemDetails(): its onError then sees the problem answer, which is never cached.
    .use(httpCaching(route))
    .use(problemDetails())
    .use(secretsFirst());
  if (route.operator) handler.use(operatorOnly());
  if (route.body) handler.use(bodyLimit()).use(httpJsonBodyParser()).use(jsonParseErrors());
  const wrapped = handler.handler(async (event) => {
    const body = route.body ? parse(route.body.schema, event.body, 'body') : undefined;
    const query = route.query ? parse(route.query, event.queryStringParameters ?? {}, 'query') : undefined;
    // operatorOnly() has set it for operator routes, or thrown 401 before this runs.
    const operator = operators.get(event) as RequestOf<R>['operator'];
    return fn({ event, body: body as BodyOf<R>, query: query as QueryOf<R>, path: decodedPathParameters(event), operator });
  }) as unknown as HttpHandler;
  madeFrom.set(wrapped, route);
  return wrapped;
}

/** The definition a handler was made from (test/unit/http/openapi.test.ts holds it to the manifest's). */
export function routeOf(handler: HttpHandler): RouteDefinition | undefined {
  return madeFrom.get(handler);
}

function parse(schema: Schema, value: unknown, where: 'body' | 'query'): unknown {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(result.error, where);
  return result.data;
}

function decodedPathParameters(event: APIGatewayProxyEventV2): Record<string, string> {
  return Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([k, v]) => [k, v ?? '']));
}

/** Publishes what the invocation recorded (signatures, rate limits…) as it ends, and nothing when it recorded nothing. */
function flushMetrics(): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  const flush = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}

function problemDetails(): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    onError: (request) => {
      const error = request.error;
      const problem = problemFor(error) ?? fromMiddyError(error);
      if (!problem) {
        // Details stay in the log (without the request body, which can hold personal data); the caller gets none.
        logger.error('unhandled error', { error: error as Error, routeKey: request.event.routeKey });
        // The function still returns normally, so Lambda's Errors metric never sees this: count it here.
        metrics.addMetric(unhandledErrorMetric, MetricUnit.Count, 1);
      }
      const answer = problem ?? new Problem(500, 'internal', 'Something went wrong on our side. Please try again later.');
      request.response = {
        statusCode: answer.status,
        headers: { 'content-type': 'application/problem+json', ...answer.headers },
        body: JSON.stringify(answer.body),
      };
    },
  };
}

/** @middy/http-json-body-parser signals with statusCode; the contract wants 415 and 400. */
function fromMiddyError(error: unknown): Problem | undefined {
  if (!error || typeof error !== 'object' || !('statusCode' in error)) return undefined;
  const status = Number((error as { statusCode: unknown }).statusCode);
  if (status === 415) return new Problem(415, 'unsupported-media-type', 'Send the body as JSON with Content-Type: application/json.');
  if (status === 422 || status === 400) return new Problem(400, 'malformed-json', 'The body is not valid JSON.');
  return undefined;
}

function jsonParseErrors(): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    before: (request) => {
      const body: unknown = request.event.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new Problem(400, 'malformed-json', 'The body must be a JSON object.');
      }
    },
  };
}

function bodyLimit(): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    before: (request) => {
      const { body, isBase64Encoded } = request.event;
      const limit = config().MAX_BODY_BYTES;
      const size = body === undefined ? 0 : isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body);
      if (size > limit) throw new Problem(413, 'too-large', `The body is ${size} bytes; the limit is ${limit}.`);
      if (size === 0) throw new Problem(400, 'malformed-json', 'A JSON body is required.');
      // API Gateway base64-encodes bodies that are not valid UTF-8; decoding them leniently would turn
      // garbage into U+FFFD and accept it. JSON must be UTF-8 (RFC 8259).
      if (isBase64Encoded && body !== undefined) {
        try {
          request.event.body = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(body, 'base64'));
          request.event.isBase64Encoded = false;
        } catch {
          throw new Problem(400, 'malformed-json', 'The body is not valid UTF-8.');
        }
      }
    },
  };
}

const operators = new WeakMap<APIGatewayProxyEventV2, Operator>();

/** Runs before body parsing, so an anonymous caller learns nothing about what a valid body looks like. */
function operatorOnly(): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return { before: (request) => void operators.set(request.event, authenticateOperator(request.event)) };
}
