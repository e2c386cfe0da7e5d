import { confirm } from '#shared/domain/confirmation.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { page, wantsHtml } from '#shared/http/pages.ts';
import { Problem } from '#shared/http/problem.ts';
import { escapeHtml, html, json } from '#shared/http/responses.ts';

export const handler = httpHandler({}, async ({ event, path }) => {
  if (!wantsHtml(event)) return json(200, await confirm(path.token ?? ''));
  try {
    await confirm(path.token ?? '');
    return html(200, page('Thank you', '<p>Confirmed. You can close this page.</p>'));
  } catch (error) {
    if (error instanceof Problem) return html(error.status, page('This link cannot be used', `<p>${escapeHtml(error.message)}</p>`));
    throw error;
  }
});
