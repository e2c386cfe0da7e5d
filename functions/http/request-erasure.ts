import { guardSubmission } from '#shared/abuse/guard.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { requestErasure } from '#shared/store/erasure-store.ts';

/** Erasure happens only once the person confirms from their mailbox; the answer never says whether we knew them. */
export const handler = httpHandler(routes.requestErasure, async ({ event, body }) => {
  await guardSubmission(event, { action: 'erase', email: body.email, captchaToken: body.captchaToken });
  await requestErasure(body.email);
  return json(202, { status: 'pending' });
});
