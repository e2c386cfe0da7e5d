import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { listOutreach } from '#shared/store/outreach-store.ts';

/** Urgent calls and digests, newest first: past, under way and scheduled. */
export const handler = httpHandler(routes.adminListOutreach, async ({ query }) => json(200, await listOutreach(query)));
