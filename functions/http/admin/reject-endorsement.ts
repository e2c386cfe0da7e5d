import { httpHandler } from '#shared/http/handler.ts';
import { json } from '#shared/http/responses.ts';
import { decideEndorsement } from '#shared/store/endorsement-store.ts';

export const handler = httpHandler({ admin: true }, async ({ path, operator }) =>
  json(200, await decideEndorsement(path.id ?? '', 'rejected', operator.id)),
);
