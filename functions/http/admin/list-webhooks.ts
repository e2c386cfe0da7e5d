import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { listWebhooks } from '#shared/store/webhook-store.ts';

/** Every webhook, without its secret. */
export const handler = httpHandler(routes.adminListWebhooks, async () => {
  const items = (await listWebhooks()).map(({ sealedSecret: _sealed, ...webhook }) => webhook);
  return json(200, { items });
});
