import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getWebhook, listDeliveries } from '#shared/store/webhook-store.ts';

/** A webhook's deliveries, newest first. */
export const handler = httpHandler(routes.adminListWebhookDeliveries, async ({ path, query }) => {
  const { id } = await getWebhook(path.id ?? '');
  return json(200, await listDeliveries(id, query));
});
