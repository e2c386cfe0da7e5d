import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { campaignConnectors } from '#shared/use-cases/action-network-connectors.ts';

/** The campaign's connectors, without their keys. */
export const handler = httpHandler(routes.adminListConnectors, async ({ path }) => json(200, { items: await campaignConnectors(path.slug ?? '') }));
