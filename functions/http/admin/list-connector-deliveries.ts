import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { listConnectorDeliveries } from '#shared/store/connector-store.ts';
import { connectorOwner } from '#shared/use-cases/action-network-connectors.ts';
import { parseConnectorPath } from './connector-path.ts';

/** A connector's delivery log, newest signature first: ids and statuses, never the person. */
export const handler = httpHandler(routes.adminListConnectorDeliveries, async ({ path, query }) => {
  const { slug, partner } = parseConnectorPath(path);
  return json(200, await listConnectorDeliveries(await connectorOwner(slug, partner), partner, query));
});
