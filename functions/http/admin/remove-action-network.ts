import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { removeActionNetworkConnector } from '#shared/use-cases/action-network-connectors.ts';
import { parseConnectorPath } from './connector-path.ts';

/** Disconnects a partner's Action Network petition and schedules its key's deletion. */
export const handler = httpHandler(routes.adminRemoveActionNetwork, async ({ path }) => {
  const { slug, partner } = parseConnectorPath(path);
  await removeActionNetworkConnector(slug, partner);
  return json(200, { partner, removed: true });
});
