import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { addBlock } from '#shared/store/blocklist-store.ts';
import { parseBlockPath } from './block-path.ts';

/** Blocks an IP address, a CIDR range or an email domain (with its subdomains) from every public submission. */
export const handler = httpHandler(routes.adminAddBlock, async ({ path, body, operator }) => {
  const { kind, value } = parseBlockPath(path);
  return json(200, await addBlock({ kind, value, reason: body.reason, by: operator.id }));
});
