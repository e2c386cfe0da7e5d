import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { removeBlock } from '#shared/store/blocklist-store.ts';
import { parseBlockPath } from './block-path.ts';

export const handler = httpHandler(routes.adminRemoveBlock, async ({ path }) => {
  const { kind, value, asTyped } = parseBlockPath(path);
  await removeBlock(kind, value, asTyped);
  return json(200, { kind, value, removed: true });
});
