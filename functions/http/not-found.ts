import { httpHandler } from '#shared/http/handler.ts';
import { notFound } from '#shared/http/problem.ts';

export const handler = httpHandler({}, async ({ event }) => {
  throw notFound(`There is no ${event.requestContext.http.method} ${event.rawPath}.`);
});
