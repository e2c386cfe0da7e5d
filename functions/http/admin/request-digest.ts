import { requestDigest } from '#shared/domain/outreach-requests.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { digestRequestSchema } from '#shared/http/request-schemas.ts';
import { json } from '#shared/http/responses.ts';

/** The same code the weekly schedule runs; a period is sent at most once per subscriber. */
export const handler = httpHandler({ admin: true, body: digestRequestSchema }, async ({ body, operator }) => {
  const { outreachId } = await requestDigest(body.period, operator.id);
  return json(202, { outreachId });
});
