import { config } from '#shared/config.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { openApiDocument } from '#shared/http/openapi.ts';

let cached: { url: string; body: string } | undefined;

/** The OpenAPI 3.1 document, generated from the schemas that validate requests; built once per instance. */
export const handler = httpHandler(routes.getOpenApi, async () => {
  const url = config().PUBLIC_URL;
  if (cached?.url !== url) cached = { url, body: JSON.stringify(openApiDocument(url)) };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: cached.body,
  };
});
