import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { maxMessageBytes, queueRetentionSeconds } from '#infra/queue-wiring.ts';
import type { LocalQueues, ReceivedMessage } from './queue-service.ts';

/** An SQS error as the AWS JSON protocol carries it; `queryCode` is what SDKs report as the error's code. */
export class QueueError extends Error {
  constructor(
    readonly type: string,
    readonly queryCode: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const nonExistentQueue = (name: string) => new QueueError('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', `The queue ${name} does not exist.`);

/**
 * The AWS JSON 1.0 protocol of SQS (`X-Amz-Target: AmazonSQS.<Action>`), which current AWS SDKs speak, over the
 * local queues: requests checked as SQS checks them, answers and errors in the shapes the SDK parses.
 */
export class SqsProtocol {
  constructor(private readonly queues: LocalQueues) {}

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...headers }).end(JSON.stringify(body));
    try {
      if (req.method !== 'POST' || !target.startsWith('AmazonSQS.')) throw new QueueError('InvalidAction', 'InvalidAction', 'Send AWS JSON 1.0 requests (X-Amz-Target: AmazonSQS.<Action>).');
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        throw new QueueError('InvalidParameterValue', 'InvalidParameterValue', 'The request body is not JSON.');
      }
      const output = await this.action(target.slice('AmazonSQS.'.length), input);
      send(200, output);
    } catch (error) {
      if (error instanceof QueueError) {
        send(error.status, { __type: `com.amazonaws.sqs#${error.type}`, message: error.message }, { 'x-amzn-query-error': `${error.queryCode};Sender` });
        return;
      }
      console.error('queues: request failed:', error);
      send(500, { __type: 'com.amazonaws.sqs#InternalError', message: 'internal error' }, { 'x-amzn-query-error': 'InternalError;Receiver' });
    }
  }

  private async action(action: string, input: Record<string, unknown>): Promise<unknown> {
    switch (action) {
      case 'SendMessage': {
        const name = this.queueOf(input);
        const entry = { MessageBody: input.MessageBody, DelaySeconds: input.DelaySeconds, MessageAttributes: input.MessageAttributes };
        const problem = entryProblem(entry);
        if (problem) throw new QueueError(problem.code, problem.code, problem.message);
        const [sent] = this.queues.send(name, [toSendEntry(entry)]);
        return { MessageId: sent!.messageId, MD5OfMessageBody: sent!.md5OfBody };
      }
      case 'SendMessageBatch': {
        const name = this.queueOf(input);
        const entries = batchEntries(input);
        const total = entries.reduce((sum, e) => sum + Buffer.byteLength(String(e.MessageBody ?? ''), 'utf8'), 0);
        if (total > maxMessageBytes) throw new QueueError('BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong', `The batch's messages total ${total} bytes, more than ${maxMessageBytes}.`);
        const successful: unknown[] = [];
        const failed: unknown[] = [];
        for (const entry of entries) {
          const problem = entryProblem(entry);
          if (problem) {
            failed.push({ Id: entry.Id, SenderFault: true, Code: problem.code, Message: problem.message });
            continue;
          }
          const [sent] = this.queues.send(name, [toSendEntry(entry)]);
          successful.push({ Id: entry.Id, MessageId: sent!.messageId, MD5OfMessageBody: sent!.md5OfBody });
        }
        return { Successful: successful, Failed: failed };
      }
      case 'ReceiveMessage': {
        const name = this.queueOf(input);
        const max = integer(input.MaxNumberOfMessages, 1, 1, 10, 'MaxNumberOfMessages');
        const wait = integer(input.WaitTimeSeconds, 0, 0, 20, 'WaitTimeSeconds');
        const visibility = input.VisibilityTimeout === undefined ? undefined : integer(input.VisibilityTimeout, 0, 0, 43_200, 'VisibilityTimeout');
        const deadline = Date.now() + wait * 1000;
        let messages = this.queues.receive(name, max, visibility);
        while (messages.length === 0 && Date.now() < deadline && !this.queues.closed) {
          const next = this.queues.nextVisibleAt(name);
          await this.queues.waitForMessages(name, Math.min(deadline, next ?? deadline) - Date.now());
          messages = this.queues.receive(name, max, visibility);
        }
        return {
          Messages: messages.map((m) => ({
            MessageId: m.messageId,
            ReceiptHandle: m.receiptHandle,
            MD5OfBody: m.md5OfBody,
            Body: m.body,
            Attributes: systemAttributes(m),
          })),
        };
      }
      case 'DeleteMessage':
        this.queues.delete(this.queueOf(input), String(input.ReceiptHandle ?? ''));
        return {};
      case 'DeleteMessageBatch': {
        const name = this.queueOf(input);
        return this.batch(batchEntries(input), (entry) => this.queues.delete(name, String(entry.ReceiptHandle ?? '')));
      }
      case 'ChangeMessageVisibility': {
        const name = this.queueOf(input);
        this.queues.changeVisibility(name, String(input.ReceiptHandle ?? ''), integer(input.VisibilityTimeout, 0, 0, 43_200, 'VisibilityTimeout'));
        return {};
      }
      case 'ChangeMessageVisibilityBatch': {
        const name = this.queueOf(input);
        return this.batch(batchEntries(input), (entry) =>
          this.queues.changeVisibility(name, String(entry.ReceiptHandle ?? ''), integer(entry.VisibilityTimeout, 0, 0, 43_200, 'VisibilityTimeout')),
        );
      }
      case 'GetQueueUrl': {
        const name = String(input.QueueName ?? '');
        this.queues.definition(name);
        return { QueueUrl: this.queues.url(name) };
      }
      case 'ListQueues': {
        const prefix = String(input.QueueNamePrefix ?? '');
        return { QueueUrls: this.queues.names().filter((name) => name.startsWith(prefix)).map((name) => this.queues.url(name)) };
      }
      case 'GetQueueAttributes':
        return { Attributes: this.attributes(this.queueOf(input)) };
      case 'PurgeQueue':
        this.queues.purge(this.queueOf(input));
        return {};
      case 'StartMessageMoveTask': {
        const source = this.nameOfArn(input.SourceArn);
        const destination = input.DestinationArn === undefined ? undefined : this.nameOfArn(input.DestinationArn);
        if (!this.queues.isDeadLetterQueue(source)) {
          throw new QueueError('InvalidParameterValue', 'InvalidParameterValue', 'The source queue is not the dead-letter queue of any queue.');
        }
        this.queues.redrive(source, destination);
        return { TaskHandle: Buffer.from(JSON.stringify({ source, id: randomUUID() })).toString('base64url') };
      }
      default:
        throw new QueueError('UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', `The local queues do not support ${action}.`);
    }
  }

  private batch(entries: Record<string, unknown>[], apply: (entry: Record<string, unknown>) => void): unknown {
    const successful: unknown[] = [];
    const failed: unknown[] = [];
    for (const entry of entries) {
      try {
        apply(entry);
        successful.push({ Id: entry.Id });
      } catch (error) {
        if (!(error instanceof QueueError)) throw error;
        failed.push({ Id: entry.Id, SenderFault: true, Code: error.queryCode, Message: error.message });
      }
    }
    return { Successful: successful, Failed: failed };
  }

  private attributes(name: string): Record<string, string> {
    const definition = this.queues.definition(name);
    const counts = this.queues.counts(name);
    return {
      QueueArn: this.queues.arn(name),
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      VisibilityTimeout: String(definition.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(queueRetentionSeconds),
      MaximumMessageSize: String(maxMessageBytes),
      ...(definition.redrive
        ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: this.queues.arn(definition.redrive.deadLetterQueue), maxReceiveCount: definition.redrive.maxReceiveCount }) }
        : {}),
    };
  }

  /** The queue a request names by its URL: the last path segment, as SQS reads it. */
  private queueOf(input: Record<string, unknown>): string {
    const url = input.QueueUrl;
    if (typeof url !== 'string' || !url) throw new QueueError('MissingParameter', 'AWS.SimpleQueueService.MissingParameter', 'QueueUrl is required.');
    const name = url.split('/').filter(Boolean).at(-1) ?? '';
    this.queues.definition(name);
    return name;
  }

  private nameOfArn(arn: unknown): string {
    const name = typeof arn === 'string' ? (arn.split(':').at(-1) ?? '') : '';
    this.queues.definition(name);
    return name;
  }
}

function systemAttributes(message: ReceivedMessage): Record<string, string> {
  return {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentAt),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
    SenderId: '000000000000',
  };
}

/** Entries of a batch request, checked as SQS checks them before acting on any. */
function batchEntries(input: Record<string, unknown>): Record<string, unknown>[] {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length === 0) throw new QueueError('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 'The batch request has no entries.');
  if (entries.length > 10) {
    throw new QueueError('TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `A batch takes at most 10 entries; this one has ${entries.length}.`);
  }
  const ids = new Set<string>();
  for (const entry of entries as Record<string, unknown>[]) {
    const id = entry.Id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
      throw new QueueError('InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId', 'A batch entry id is 1 to 80 letters, digits, hyphens or underscores.');
    }
    if (ids.has(id)) throw new QueueError('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', `Two entries have the id ${id}.`);
    ids.add(id);
  }
  return entries as Record<string, unknown>[];
}

/** The characters SQS accepts in a message body (XML's, less what it excludes). */
const invalidBodyCharacter = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function entryProblem(entry: Record<string, unknown>): { code: string; message: string } | undefined {
  const body = entry.MessageBody;
  if (typeof body !== 'string' || body.length === 0) return { code: 'MissingParameter', message: 'A message needs a non-empty body.' };
  if (Buffer.byteLength(body, 'utf8') > maxMessageBytes) return { code: 'InvalidParameterValue', message: `A message body may be at most ${maxMessageBytes} bytes.` };
  if (invalidBodyCharacter.test(body)) return { code: 'InvalidMessageContents', message: 'The message body contains characters SQS does not accept.' };
  if (entry.MessageAttributes !== undefined && Object.keys(entry.MessageAttributes as object).length > 0) {
    return { code: 'UnsupportedOperation', message: 'The local queues do not keep message attributes.' };
  }
  const delay = entry.DelaySeconds;
  if (delay !== undefined && (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 900)) {
    return { code: 'InvalidParameterValue', message: 'DelaySeconds must be 0 to 900.' };
  }
  return undefined;
}

function toSendEntry(entry: Record<string, unknown>): { body: string; delaySeconds?: number } {
  return { body: entry.MessageBody as string, ...(typeof entry.DelaySeconds === 'number' ? { delaySeconds: entry.DelaySeconds } : {}) };
}

function integer(value: unknown, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new QueueError('InvalidParameterValue', 'InvalidParameterValue', `${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}
