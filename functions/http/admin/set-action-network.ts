import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { setActionNetworkConnector } from '#shared/use-cases/action-network-connectors.ts';
import { parseConnectorPath } from './connector-path.ts';

/** Connects a partner's Action Network petition; the key goes to Secrets Manager and is never answered. */
export const handler = httpHandler(routes.adminSetActionNetwork, async ({ path, body, operator }) => {
  const { slug, partner } = parseConnectorPath(path);
  return json(200, await setActionNetworkConnector(slug, partner, body, operator.id, new Date()));
});
