import { requestDigest } from '#shared/use-cases/outreach-requests.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';

/** The same code the weekly schedule runs; a period is sent at most once per subscriber. */
export const handler = httpHandler(routes.adminRequestDigest, async ({ body, operator }) => {
  const { outreachId } = await requestDigest(body.period, operator.id);
  return json(202, { outreachId });
});
