import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { listEndorsementsByStatus } from '#shared/store/endorsement-store.ts';

export const handler = httpHandler(routes.adminListEndorsements, async ({ query }) =>
  json(200, await listEndorsementsByStatus(query.status, query)),
);
