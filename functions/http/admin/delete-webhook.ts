import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { deleteWebhook, getWebhook } from '#shared/store/webhook-store.ts';
import { deleteDestination } from '#shared/webhooks/destinations.ts';

/** Unwires the webhook from the bus first, then forgets it: nothing is sent to a webhook that is no longer listed. */
export const handler = httpHandler(routes.adminDeleteWebhook, async ({ path }) => {
  const { id } = await getWebhook(path.id ?? '');
  await deleteDestination(id);
  await deleteWebhook(id);
  return json(200, { id, deleted: true });
});
