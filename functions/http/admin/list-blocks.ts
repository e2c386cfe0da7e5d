import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { listBlocks } from '#shared/store/blocklist-store.ts';

export const handler = httpHandler(routes.adminListBlocks, async () => json(200, { items: await listBlocks(), nextCursor: null }));
