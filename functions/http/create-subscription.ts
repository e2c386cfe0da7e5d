import { guardSubmission } from '#shared/abuse/guard.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { logger } from '#shared/observability.ts';
import { subscribe } from '#shared/store/subscription-store.ts';

export const handler = httpHandler(routes.createSubscription, async ({ event, body: request }) => {
  const { website, captchaToken, ...body } = request;
  if ((await guardSubmission(event, { action: 'subscribe', email: body.email, captchaToken, honeypot: website })) === 'drop') {
    return json(202, { status: 'pending' });
  }
  const outcome = await subscribe(body);
  logger.info('subscription request', { outcome });
  // The same answer whatever happened: it must not reveal whether this address is known.
  return json(202, { status: 'pending' });
});
