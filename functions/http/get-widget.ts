import { createHash } from 'node:crypto';
import { httpHandler } from '#shared/http/handler.ts';
import { notFound } from '#shared/http/problem.ts';
import { logger } from '#shared/observability.ts';

/**
 * GET /widget.js: the embeddable <tadamon-action> widget, one minified script.
 *
 * Built from widget/ with esbuild when this module loads, which works where the sources and esbuild are
 * (the local runtime, tests). On AWS this handler is bundled alone by esbuild from its entry: the widget's
 * sources are not there and nothing can build them at run time, so it answers 404 and the script is to be
 * served as a static file (S3 + CloudFront), built at deploy time by the same widget/build.ts.
 */

// Not a static import, so that esbuild does not pull the builder (and esbuild itself) into the Lambda bundle.
const builder = new URL('../../widget/build.ts', import.meta.url).href;

interface Widget {
  body: string;
  etag: string;
}

const widget: Promise<Widget | undefined> = (import(/* @vite-ignore */ builder) as Promise<{ buildWidget: () => Promise<string> }>)
  .then((module) => module.buildWidget())
  .then((body) => ({ body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` }))
  .catch((error: unknown) => {
    logger.warn('the widget cannot be built here; serve it as a static file', { error: error instanceof Error ? error.message : String(error) });
    return undefined;
  });

export const handler = httpHandler({}, async ({ event }) => {
  const built = await widget;
  if (!built) throw notFound('The widget is not served by this API here; it is published as a static file.');
  const headers = {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'public, max-age=300',
    etag: built.etag,
    'x-content-type-options': 'nosniff',
    // Any site may embed it, including pages that require cross-origin resources to opt in (COEP).
    'cross-origin-resource-policy': 'cross-origin',
  };
  if (event.headers?.['if-none-match'] === built.etag) return { statusCode: 304, headers };
  return { statusCode: 200, headers, body: built.body };
});
