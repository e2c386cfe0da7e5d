import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { httpRoutes } from '#infra/manifest.ts';
import { resetConfig } from '#shared/config.ts';
import { httpEvent } from '#test/support/http-event.ts';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const operatorRoutes = httpRoutes().filter(({ trigger }) => trigger.operator);
const publicRoutes = httpRoutes().filter(({ trigger }) => !trigger.operator);

function event(method: string, routePath: string, authorization?: string): APIGatewayProxyEventV2 {
  const pathParameters = Object.fromEntries([...routePath.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, 'x']));
  return httpEvent({
    method,
    route: routePath,
    pathParameters,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: '{"kind":"petition","title":"x","offset":1,"reason":"x","subject":"x","message":"x"}',
  });
}

describe('every operator route refuses anyone without the operator token', () => {
  beforeAll(() => {
    process.env.ADMIN_TOKEN = 'the-real-operator-token';
    // Nothing may reach the table: a refused request changes nothing.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:9';
    resetConfig();
  });

  it('has operator routes, and every /admin path is one of them', () => {
    expect(operatorRoutes.length).toBeGreaterThan(10);
    for (const { trigger } of publicRoutes) expect(trigger.path.startsWith('/admin')).toBe(false);
    for (const { trigger } of operatorRoutes) expect(trigger.path.startsWith('/admin/')).toBe(true);
  });

  for (const { spec, trigger } of operatorRoutes) {
    it(`${trigger.method} ${trigger.path}`, async () => {
      const { handler } = (await import(pathToFileURL(path.join(root, spec.entry)).href)) as { handler: Handler };
      for (const authorization of [undefined, 'Bearer wrong-token', 'Basic dGhlLXJlYWw=', 'Bearer ', 'the-real-operator-token']) {
        const response = await handler(event(trigger.method, trigger.path, authorization), lambdaContext(spec.name, 10));
        expect(response.statusCode, `${authorization ?? 'no credentials'}`).toBe(401);
        expect(response.headers?.['content-type']).toBe('application/problem+json');
        expect(response.headers?.['WWW-Authenticate']).toBe('Bearer');
      }
    });
  }
});
