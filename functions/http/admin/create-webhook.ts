import { runsOnLambda } from '#shared/config.ts';
import { now } from '#shared/clock.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { webhookUrlProblem } from '#shared/domain/webhook.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { logger } from '#shared/observability.ts';
import { createWebhook, deleteWebhook, sealSecret } from '#shared/store/webhook-store.ts';
import { createDestination } from '#shared/webhooks/destinations.ts';
import { newWebhookSecret } from '#shared/webhooks/signing.ts';
import { randomBytes } from 'node:crypto';

/**
 * Adds a webhook: its item (within the cap, its secret sealed), then its connection, API destination and rule on
 * the bus. If the bus refuses, the item is removed again, so a webhook listed is a webhook wired.
 */
export const handler = httpHandler(routes.adminCreateWebhook, async ({ body, operator }) => {
  const problem = webhookUrlProblem(body.url, runsOnLambda());
  if (problem) throw new InvalidInputError('The webhook cannot be added.', [{ path: 'url', message: problem }]);
  const id = randomBytes(8).toString('hex');
  const secret = newWebhookSecret();
  const webhook = { id, url: body.url, events: body.events, ...(body.partner ? { partner: body.partner } : {}), createdAt: now().toISOString(), createdBy: operator.id };
  await createWebhook({ ...webhook, sealedSecret: sealSecret(id, secret) });
  try {
    await createDestination(webhook);
  } catch (error) {
    await deleteWebhook(id);
    throw error;
  }
  logger.info('webhook added', { webhookId: id, events: body.events, partner: body.partner, by: operator.id });
  return json(201, { ...webhook, secret }, { location: `/admin/webhooks/${id}/deliveries` });
});
