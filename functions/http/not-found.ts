import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { notFound } from '#shared/http/problem.ts';

export const handler = httpHandler(routes.notFound, async ({ event }) => {
  throw notFound(`There is no ${event.requestContext.http.method} ${event.rawPath}.`);
});
