import { tableIsActive } from '#shared/store/table-status.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';

export const handler = httpHandler(routes.health, async () => {
  if (!(await tableIsActive())) {
    return json(503, { status: 'starting' });
  }
  return json(200, { status: 'ok' });
});
