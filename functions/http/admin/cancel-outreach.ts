import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { logger } from '#shared/observability.ts';
import { cancelOutreach } from '#shared/store/outreach-store.ts';

/** Stops a scheduled or running outreach; the senders skip what they have not sent yet. */
export const handler = httpHandler(routes.adminCancelOutreach, async ({ path, operator }) => {
  const status = await cancelOutreach(path.id ?? '', operator.id);
  logger.info('outreach cancelled', { outreachId: status.id, by: operator.id });
  return json(200, status);
});
