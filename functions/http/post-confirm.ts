import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { confirm } from '#shared/use-cases/confirmation.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { linkProblemPage, page, wantsHtml } from '#shared/http/pages.ts';
import { problemFor } from '#shared/http/problem.ts';
import { html, json } from '#shared/http/responses.ts';

/**
 * The request the confirm page showed, from its form (`request=…`, urlencoded). API clients send no body and
 * confirm the request as it stands.
 */
function shownRequest(event: APIGatewayProxyEventV2): string | undefined {
  if (!event.body || !/^application\/x-www-form-urlencoded/i.test(event.headers?.['content-type'] ?? '')) return undefined;
  const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const value = new URLSearchParams(body).get('request');
  // A value that cannot be a request id pins the click to no request at all: it confirms nothing.
  return value === null ? undefined : /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : '-';
}

export const handler = httpHandler(routes.confirm, async ({ event, path }) => {
  const requestId = shownRequest(event);
  if (!wantsHtml(event)) return json(200, await confirm(path.token ?? '', requestId));
  try {
    await confirm(path.token ?? '', requestId);
    return html(200, page('Thank you', '<p>Confirmed. You can close this page.</p>'));
  } catch (error) {
    const problem = problemFor(error);
    if (problem) return linkProblemPage(problem);
    throw error;
  }
});
