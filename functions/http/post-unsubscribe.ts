import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { page, wantsHtml } from '#shared/http/pages.ts';
import { notFound } from '#shared/http/problem.ts';
import { html, json } from '#shared/http/responses.ts';
import { emailKeyFromToken, unsubscribe } from '#shared/store/subscription-store.ts';

/**
 * RFC 8058 one-click: mailbox providers POST `List-Unsubscribe=One-Click` here; a browser posts the page's
 * form. Either way it takes effect at once and repeats are harmless.
 */
export const handler = httpHandler(routes.unsubscribe, async ({ event, path }) => {
  const emailKey = emailKeyFromToken(path.token ?? '');
  if (!emailKey) throw notFound('This unsubscribe link is not known.');
  await unsubscribe(emailKey);
  if (wantsHtml(event)) return html(200, page('Unsubscribed', '<p>You will receive no more urgent calls or digests from us.</p>'));
  return json(200, { status: 'unsubscribed' });
});
