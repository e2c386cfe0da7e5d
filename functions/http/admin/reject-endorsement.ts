import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { decideEndorsement } from '#shared/store/endorsement-store.ts';

export const handler = httpHandler(routes.adminRejectEndorsement, async ({ path, operator }) =>
  json(200, await decideEndorsement(path.id ?? '', 'rejected', operator.id)),
);
