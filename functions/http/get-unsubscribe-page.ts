import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { linkProblemPage, page } from '#shared/http/pages.ts';
import { notFound } from '#shared/http/problem.ts';
import { escapeHtml, html } from '#shared/http/responses.ts';
import { emailKeyFromToken } from '#shared/store/subscription-store.ts';

/** A page with a button: opening the link (or a mail scanner following it) changes nothing. */
export const handler = httpHandler(routes.getUnsubscribePage, async ({ path }) => {
  const token = path.token ?? '';
  if (!emailKeyFromToken(token)) return linkProblemPage(notFound('This unsubscribe link is not known.'));
  return html(
    200,
    page(
      'Unsubscribe',
      `<p>Press the button to stop receiving urgent calls and digests.</p>
<form method="post" action="/unsubscribe/${escapeHtml(encodeURIComponent(token))}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
    ),
  );
});
