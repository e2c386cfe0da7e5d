import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { conflict, notFound } from '#shared/domain/errors.ts';
import type { DynamoDBRecord } from 'aws-lambda';
import type { InvokeAndWait, InvokeAsync } from '#shared/lambda/invoke-async.ts';
import { deadLetterQueueNames, deadLetterQueues, deadLetterUrlVariable, replayFunctionsVariable, type DeadLetterQueueName } from './dead-letters.ts';
import { readAsyncFailure, readStreamFailure, type StreamBatch } from './failure-records.ts';

let client: SQSClient | undefined;

/** One client per container; the endpoint comes from AWS_ENDPOINT_URL_SQS when set (locally). */
function sqs(): SQSClient {
  client ??= new SQSClient({});
  return client;
}

export interface DeadLetterQueueState {
  queue: DeadLetterQueueName;
  holds: string;
  replay: 'move' | 'invoke' | 'by-hand';
  /** Waiting to be read (SQS's approximate count). */
  messages: number;
  /** Received and not yet deleted or returned (someone is reading them, or a move is under way). */
  inFlight: number;
}

/** The dead-letter queues this deployment has (each given as `DEAD_LETTERS_<NAME>`), in a fixed order. */
function configured(): { name: DeadLetterQueueName; url: string }[] {
  return deadLetterQueueNames.flatMap((name) => {
    const url = process.env[deadLetterUrlVariable(name)];
    return url ? [{ name, url }] : [];
  });
}

async function attributes(url: string): Promise<Record<string, string>> {
  const result = await sqs().send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return result.Attributes ?? {};
}

export async function deadLetterStates(): Promise<DeadLetterQueueState[]> {
  return Promise.all(
    configured().map(async ({ name, url }) => {
      const found = await attributes(url);
      return {
        queue: name,
        holds: deadLetterQueues[name].holds,
        replay: deadLetterQueues[name].replay,
        messages: Number(found.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(found.ApproximateNumberOfMessagesNotVisible ?? 0),
      };
    }),
  );
}

/** The configured dead-letter queue of that name, or a 404 that says where the list is. */
export function findQueue(name: string): { name: DeadLetterQueueName; url: string } {
  const queue = configured().find((q) => q.name === name);
  if (!queue) throw notFound(`There is no dead-letter queue "${name}" here; GET /admin/dead-letters lists them.`);
  return queue;
}

/**
 * Sends every message of a mail dead-letter queue back to the queue it came from (SQS's redrive: a move task
 * without a destination, at `perSecond`), with its receive count reset. The senders skip what is already done,
 * so replaying is safe. Other dead-letter queues hold failure records, not messages a queue can take back.
 */
export async function replayDeadLetters(name: string, perSecond: number): Promise<{ queue: DeadLetterQueueName; messages: number; taskHandle: string | undefined }> {
  const queue = findQueue(name);
  if (deadLetterQueues[queue.name].replay !== 'move') {
    throw conflict(
      'replay-by-hand',
      `The ${queue.name} dead-letter queue holds failure records, not messages a queue takes back: replay them as docs/operating.md ("Replay a dead-letter queue") shows.`,
    );
  }
  const found = await attributes(queue.url);
  const messages = Number(found.ApproximateNumberOfMessages ?? 0);
  if (messages === 0) return { queue: queue.name, messages, taskHandle: undefined };
  try {
    const task = await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: found.QueueArn, MaxNumberOfMessagesPerSecond: perSecond }));
    return { queue: queue.name, messages, taskHandle: task.TaskHandle };
  } catch (error) {
    // SQS runs one move task per queue at a time.
    if (error instanceof Error && /UnsupportedOperation|already|active|running/i.test(`${error.name} ${error.message}`)) {
      throw conflict('replay-running', `A replay of the ${queue.name} dead-letter queue is already under way; wait for it to finish.`);
    }
    throw error;
  }
}

export interface InvokeReplayResult {
  queue: DeadLetterQueueName;
  /** Invoked again, asynchronously, with the original payload, and deleted from the queue. */
  replayed: number;
  /** Left in the queue: not a failure record, or for a function that is not one of this stack's event or schedule functions. */
  skipped: number;
  /** Left in the queue: Lambda refused the invocation (throttled, too large…); the run stopped there. */
  failed: number;
  /** Still waiting when the run ended (approximate); skipped and failed messages come back after `hiddenSeconds`. */
  left: number;
  /** Why messages were skipped or failed, each reason once. */
  notes: string[];
}

/** How long a message read by a replay stays hidden: long enough that a skipped one does not come round again in the same run or the next few. */
export const hiddenSeconds = 120;

/**
 * What an invoking replay starts from: the functions it may invoke (the stack's event and schedule functions,
 * the ones the grant names), its running result, and a note-taker that keeps the first ten distinct notes.
 */
function replayRun(queue: DeadLetterQueueName): { targets: Set<string>; result: InvokeReplayResult; note: (text: string) => void } {
  const targets = new Set((process.env[replayFunctionsVariable] ?? '').split(',').filter(Boolean));
  const result: InvokeReplayResult = { queue, replayed: 0, skipped: 0, failed: 0, left: 0, notes: [] };
  const note = (text: string) => {
    if (!result.notes.includes(text) && result.notes.length < 10) result.notes.push(text);
  };
  return { targets, result, note };
}

const batchSize = 10;

/**
 * Replays the failure records of the `events` or `address-events` dead-letter queue: for each, invokes exactly
 * the function that failed, asynchronously, with the event or schedule payload it failed on, then deletes the
 * message. Every event and schedule consumer is idempotent, so an event delivered twice changes nothing twice.
 * Reads 10 messages at a time until the queue is empty or `budgetMs` has passed; the caller repeats until `left` is 0.
 */
export async function replayFailureRecords(name: string, options: { budgetMs: number; invoke: InvokeAsync; now?: () => number }): Promise<InvokeReplayResult> {
  const queue = findQueue(name);
  if (deadLetterQueues[queue.name].replay !== 'invoke') throw new Error(`The ${queue.name} dead-letter queue is not replayed by invoking its functions.`);
  const now = options.now ?? Date.now;
  const until = now() + options.budgetMs;
  const { targets, result, note } = replayRun(queue.name);

  while (now() < until && result.failed === 0) {
    const received = await sqs().send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: batchSize, VisibilityTimeout: hiddenSeconds, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) break;
    const done: { Id: string; ReceiptHandle: string }[] = [];
    await Promise.all(
      messages.map(async (message, i) => {
        const attributes = Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([key, value]) => [key, value.StringValue]));
        const failure = readAsyncFailure(message.Body ?? '', attributes);
        if (!failure.readable) {
          result.skipped += 1;
          note(failure.reason);
          return;
        }
        if (!targets.has(failure.functionName)) {
          result.skipped += 1;
          note(`${failure.functionName} is not one of this stack's event or schedule functions: left in the queue.`);
          return;
        }
        try {
          await options.invoke(failure.functionName, failure.payload);
        } catch (error) {
          result.failed += 1;
          // Lambda's error name says why (TooManyRequestsException, ResourceNotFoundException…).
          note(`${failure.functionName}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
          return;
        }
        result.replayed += 1;
        done.push({ Id: String(i), ReceiptHandle: message.ReceiptHandle! });
      }),
    );
    if (done.length > 0) await sqs().send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: done }));
  }
  result.left = Number((await attributes(queue.url)).ApproximateNumberOfMessages ?? 0);
  return result;
}

/** Time a stream batch's replay may take: a consumer's batch takes well under a second; the rest is margin. */
const streamReplayMs = 8_000;

/**
 * Replays the `stream` dead-letter queue: for each failure record, reads its batch again from the table's stream
 * and invokes the consumer that failed with it, waiting for its answer; deletes the record only when the consumer
 * took every record (no function error, no `batchItemFailures`). Both consumers are idempotent (counting skips
 * what carries its marker; routing claims each change), so a batch delivered again changes nothing twice. A batch
 * older than the stream's 24 hours is `expired`: left in the queue, with a note (counts are made right by
 * reconciliation). One record at a time, while `budgetMs` leaves room for one more.
 */
export async function replayStreamFailures(options: {
  budgetMs: number;
  invoke: InvokeAndWait;
  read: (batch: StreamBatch) => Promise<DynamoDBRecord[] | 'expired'>;
  now?: () => number;
}): Promise<InvokeReplayResult> {
  const queue = findQueue('stream');
  const now = options.now ?? Date.now;
  const until = now() + options.budgetMs;
  const { targets, result, note } = replayRun(queue.name);
  while (until - now() > streamReplayMs && result.failed === 0) {
    const [message] = (await sqs().send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 1, VisibilityTimeout: hiddenSeconds, WaitTimeSeconds: 0 }))).Messages ?? [];
    if (!message) break;
    const failure = readStreamFailure(message.Body ?? '');
    if (!failure.readable || !targets.has(failure.functionName)) {
      result.skipped += 1;
      note(failure.readable ? `${failure.functionName} is not one of this stack's stream consumers: left in the queue.` : failure.reason);
      continue;
    }
    const records = await options.read(failure.batch);
    if (records === 'expired') {
      result.skipped += 1;
      note(`A batch of ${failure.functionName} is older than the stream's 24 hours: left in the queue. Counts are made right by \`tadamon reconcile\`; see the runbook for the rest.`);
      continue;
    }
    try {
      const answer = records.length > 0 ? ((await options.invoke(failure.functionName, { Records: records })) as { batchItemFailures?: unknown[] } | null) : null;
      if (answer?.batchItemFailures?.length) throw Object.assign(new Error(`${answer.batchItemFailures.length} of ${records.length} records failed again`), { name: 'BatchItemFailures' });
    } catch (error) {
      result.failed += 1;
      note(`${failure.functionName}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      continue;
    }
    result.replayed += 1;
    await sqs().send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: [{ Id: '0', ReceiptHandle: message.ReceiptHandle! }] }));
  }
  result.left = Number((await attributes(queue.url)).ApproximateNumberOfMessages ?? 0);
  return result;
}
