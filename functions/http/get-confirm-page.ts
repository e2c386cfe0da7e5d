import { lookUpToken } from '#shared/domain/confirmation.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { linkProblemPage, page } from '#shared/http/pages.ts';
import { Problem } from '#shared/http/problem.ts';
import { escapeHtml, html } from '#shared/http/responses.ts';

/**
 * A page with a button, never the confirmation itself: mail scanners follow links, and a GET that
 * confirmed would let them sign on people's behalf.
 */
export const handler = httpHandler({}, async ({ path }) => {
  const token = path.token ?? '';
  try {
    await lookUpToken(token);
  } catch (error) {
    if (error instanceof Problem) return linkProblemPage(error);
    throw error;
  }
  return html(
    200,
    page(
      'Confirm',
      `<p>Press the button to confirm.</p>
<form method="post" action="/confirm/${escapeHtml(encodeURIComponent(token))}"><button type="submit">Confirm</button></form>`,
    ),
  );
});
