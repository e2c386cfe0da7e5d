import { now } from '#shared/clock.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { replayDelivery } from '#shared/use-cases/webhook-deliveries.ts';

/** Sends a delivery again under its event id, newly signed. */
export const handler = httpHandler(routes.adminReplayWebhookDelivery, async ({ path }) => {
  const { source: _source, ...delivery } = await replayDelivery(path.id ?? '', path.delivery ?? '', now());
  return json(202, delivery);
});
