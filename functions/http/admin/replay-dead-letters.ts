import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { invokeAndWait, invokeAsync } from '#shared/lambda/invoke-async.ts';
import { logger } from '#shared/observability.ts';
import { findQueue, replayDeadLetters, replayFailureRecords, replayStreamFailures } from '#shared/queues/dead-letter-client.ts';
import { deadLetterQueues } from '#shared/queues/dead-letters.ts';
import { readStreamBatch } from '#shared/streams/stream-batch.ts';

// Slow enough that a large backlog does not arrive at the senders at once; they pace SES in any case.
const perSecond = 10;
// Well inside the function's 29 s timeout and API Gateway's 30 s: the caller repeats until nothing is left.
const invokeBudgetMs = 20_000;

export const handler = httpHandler(routes.adminReplayDeadLetters, async ({ path, operator }) => {
  const queue = findQueue(path.queue ?? '');
  if (queue.name === 'stream') {
    const result = await replayStreamFailures({ budgetMs: invokeBudgetMs, invoke: invokeAndWait, read: (batch) => readStreamBatch(batch) });
    logger.info('stream batches replayed', { by: operator.id, ...result });
    return json(200, result);
  }
  if (deadLetterQueues[queue.name].replay === 'invoke') {
    const result = await replayFailureRecords(queue.name, { budgetMs: invokeBudgetMs, invoke: invokeAsync });
    logger.info('failure records replayed', { by: operator.id, ...result });
    return json(200, result);
  }
  const result = await replayDeadLetters(queue.name, perSecond);
  logger.info('dead letters replayed', { by: operator.id, queue: result.queue, messages: result.messages });
  return json(202, { queue: result.queue, messages: result.messages, perSecond, status: result.messages === 0 ? 'empty' : 'moving' });
});
