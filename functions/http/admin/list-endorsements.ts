import { httpHandler } from '#shared/http/handler.ts';
import { adminListEndorsementsQuerySchema } from '#shared/http/request-schemas.ts';
import { json } from '#shared/http/responses.ts';
import { listEndorsementsByStatus } from '#shared/store/endorsement-store.ts';

export const handler = httpHandler({ admin: true, query: adminListEndorsementsQuerySchema }, async ({ query }) =>
  json(200, await listEndorsementsByStatus(query.status, query)),
);
