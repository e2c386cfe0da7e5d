import { confirm } from '#shared/domain/confirmation.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { linkProblemPage, page, wantsHtml } from '#shared/http/pages.ts';
import { Problem } from '#shared/http/problem.ts';
import { html, json } from '#shared/http/responses.ts';

export const handler = httpHandler({}, async ({ event, path }) => {
  if (!wantsHtml(event)) return json(200, await confirm(path.token ?? ''));
  try {
    await confirm(path.token ?? '');
    return html(200, page('Thank you', '<p>Confirmed. You can close this page.</p>'));
  } catch (error) {
    if (error instanceof Problem) return linkProblemPage(error);
    throw error;
  }
});
