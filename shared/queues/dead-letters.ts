/**
 * The dead-letter queues an operator can look at through the API (functions/http/admin/*dead-letters*). Each is
 * given to those functions as `DEAD_LETTERS_<NAME>` (its URL): on AWS the stack's shared dead-letter queues
 * (infra/stack/queues.ts), locally the one the local queue service keeps (queue-dead-letters).
 */
export const deadLetterQueues = {
  mail: {
    holds: 'Mail messages (confirmation-mail, bulk-mail) a sender failed maxReceiveCount times.',
    // SQS's own redrive sends each message back to the queue it came from.
    replay: 'move',
  },
  // Failure records name the batch, not its records: the batch is read again from the stream (24 h) and its
  // consumer invoked with it, waiting for the answer (shared/streams/stream-batch.ts).
  stream: {
    holds: 'Table stream batches CountConfirmations or RouteChanges gave up on (failure records naming the batch; the records stay in the stream 24 h).',
    replay: 'invoke',
  },
  // Rule and schedule dead letters and Lambda's failure records name the function and carry the payload:
  // each is invoked again (shared/queues/failure-records.ts).
  events: {
    holds: 'Events, schedules and asynchronous invocations that failed every retry.',
    replay: 'invoke',
  },
  'address-events': {
    holds: 'The same for SES bounce and complaint events (addresses included; kept 3 days).',
    replay: 'invoke',
  },
} as const satisfies Record<string, { holds: string; replay: 'move' | 'invoke' | 'by-hand' }>;

export type DeadLetterQueueName = keyof typeof deadLetterQueues;
export const deadLetterQueueNames = Object.keys(deadLetterQueues) as DeadLetterQueueName[];

export function deadLetterUrlVariable(name: DeadLetterQueueName): string {
  return `DEAD_LETTERS_${name.toUpperCase().replace(/-/g, '_')}`;
}

/** The functions a replay may invoke again (the stack's event, schedule and stream functions), by name, comma-separated. */
export const replayFunctionsVariable = 'DEAD_LETTER_REPLAY_FUNCTIONS';
