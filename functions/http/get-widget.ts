import { createHash } from 'node:crypto';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { notFound } from '#shared/http/problem.ts';
import { logger } from '#shared/observability.ts';

/**
 * GET /widget.js: the embeddable <tadamon-action> widget, one minified script.
 *
 * Built from widget/ with esbuild, which works where the sources and esbuild are (the local runtime, tests).
 * On AWS the script is a static file (S3 + CloudFront), built at deploy time by the same widget/build.ts, and
 * this route is deployed only where a stage sets `developmentRoutes`: bundled alone by esbuild from its entry,
 * it has no sources to build from there, and answers 404.
 */

// Not a static import, so that esbuild does not pull the builder (and esbuild itself) into the Lambda bundle.
const builder = new URL('../../widget/build.ts', import.meta.url).href;

const cannotBuild = (error: unknown) => {
  logger.warn('the widget cannot be built here; serve it as a static file', { error: error instanceof Error ? error.message : String(error) });
  return undefined;
};

// Where the builder cannot be loaded it never will be (the sources are not deployed): found out once, on load.
const loaded = (import(/* @vite-ignore */ builder) as Promise<{ buildWidget: () => Promise<string> }>).catch(cannotBuild);

// widget/build.ts keeps the build itself (and retries after a failure); only the hash of its text is kept here.
let tagged: { body: string; etag: string } | undefined;

function etagOf(body: string): string {
  if (tagged?.body !== body) tagged = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
  return tagged.etag;
}

export const handler = httpHandler(routes.getWidget, async ({ event }) => {
  const body = await (await loaded)?.buildWidget().catch(cannotBuild);
  if (body === undefined) throw notFound('The widget is not served by this API here; it is published as a static file.');
  const etag = etagOf(body);
  const headers = {
    'content-type': 'text/javascript; charset=utf-8',
    etag,
    'x-content-type-options': 'nosniff',
    // Any site may embed it, including pages that require cross-origin resources to opt in (COEP).
    'cross-origin-resource-policy': 'cross-origin',
  };
  if (event.headers?.['if-none-match'] === etag) return { statusCode: 304, headers };
  return { statusCode: 200, headers, body };
});
