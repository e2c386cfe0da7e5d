import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { listErasureAudits } from '#shared/store/erasure-audit-store.ts';

/** The erasure audit trail: that erasures happened, how big, and for an operator's who and why; never whose. */
export const handler = httpHandler(routes.adminListErasures, async ({ query }) => json(200, await listErasureAudits(query)));
