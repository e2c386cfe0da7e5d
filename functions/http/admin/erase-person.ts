import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { logger } from '#shared/observability.ts';
import { eraseNow } from '#shared/store/erasure-store.ts';

// API Gateway gives up after 30 s: stop in time to answer, and leave the rest to the daily job.
const budgetMs = 20_000;

/**
 * An operator erases on behalf of someone who asked by post or phone: the same erasure a confirmed click runs,
 * recorded with who asked and why. Neither the log nor the answer names the address.
 */
export const handler = httpHandler(routes.adminErasePerson, async ({ body, operator }) => {
  const result = await eraseNow(body.email, { by: operator.id, reason: body.reason }, budgetMs);
  logger.info('operator erasure', { by: operator.id, finished: result.finished, items: result.items });
  return json(result.finished ? 200 : 202, { status: result.finished ? 'erased' : 'erasing', items: result.items });
});
