import { z } from 'zod';
import { guardSubmission } from '#shared/abuse/guard.ts';
import { emailAddress } from '#shared/domain/fields.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { json } from '#shared/http/responses.ts';
import { requestErasure } from '#shared/store/erasure-store.ts';

const body = z.strictObject({ email: emailAddress, captchaToken: z.string().max(4096).optional() });

/** Erasure happens only once the person confirms from their mailbox; the answer never says whether we knew them. */
export const handler = httpHandler({ body }, async ({ event, body }) => {
  await guardSubmission(event, { action: 'erase', email: body.email, captchaToken: body.captchaToken });
  await requestErasure(body.email);
  return json(202, { status: 'pending' });
});
