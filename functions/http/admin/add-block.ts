import { httpHandler } from '#shared/http/handler.ts';
import { blockInputSchema } from '#shared/http/request-schemas.ts';
import { json } from '#shared/http/responses.ts';
import { addBlock } from '#shared/store/blocklist-store.ts';
import { parseBlockPath } from './block-path.ts';

/** Blocks an IP address or an email domain from every public submission, at once. */
export const handler = httpHandler({ admin: true, body: blockInputSchema }, async ({ path, body, operator }) =>
  json(200, await addBlock({ ...parseBlockPath(path), reason: body.reason, by: operator.id })),
);
