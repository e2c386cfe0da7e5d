import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { deadLetterStates } from '#shared/queues/dead-letter-client.ts';

/** What each dead-letter queue holds, counted by SQS: the bodies stay in the queues (the mail ones name items, not people). */
export const handler = httpHandler(routes.adminListDeadLetters, async () => json(200, { items: await deadLetterStates() }));
