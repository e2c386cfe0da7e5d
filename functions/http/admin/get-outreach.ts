import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { outreachStatus } from '#shared/store/outreach-store.ts';

export const handler = httpHandler(routes.adminGetOutreach, async ({ path }) => json(200, await outreachStatus(path.id ?? '')));
