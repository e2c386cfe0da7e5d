import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalQueues, type LocalQueueDefinition, type QueueDeadLetter } from '#infra/local/queue-service.ts';
import { sendToQueue } from '#shared/queues/queue-client.ts';
import { eventually } from '#test/support/local-process.ts';

const definitions: LocalQueueDefinition[] = [
  { name: 'confirmation-mail', visibilityTimeoutSeconds: 30, redrive: { deadLetterQueue: 'queue-dead-letters', maxReceiveCount: 2 } },
  { name: 'bulk-mail', visibilityTimeoutSeconds: 30, redrive: { deadLetterQueue: 'queue-dead-letters', maxReceiveCount: 2 } },
  { name: 'queue-dead-letters', visibilityTimeoutSeconds: 30 },
];

let queues: LocalQueues;
let sqs: SQSClient;
let url: string;
let bulkUrl: string;
const letters: QueueDeadLetter[] = [];
const directories: string[] = [];

function client(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
}

async function receiveAll(queueUrl: string, visibilityTimeout?: number) {
  const all = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], ...(visibilityTimeout === undefined ? {} : { VisibilityTimeout: visibilityTimeout }) }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
  }
}

async function sqsError(send: Promise<unknown>): Promise<{ name: string; code?: string }> {
  const error = (await send.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; Code?: string } | undefined;
  if (!error) throw new Error('the request succeeded');
  return { name: error.name, ...(error.Code ? { code: error.Code } : {}) };
}

describe('the local queue service, through the real AWS SDK (JSON 1.0 protocol)', () => {
  beforeAll(async () => {
    queues = new LocalQueues(definitions, { onDeadLetter: (letter) => letters.push(letter) });
    const endpoint = await queues.listen();
    sqs = client(endpoint);
    url = queues.url('confirmation-mail');
    bulkUrl = queues.url('bulk-mail');
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SQS: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      QUEUE_URL_CONFIRMATION_MAIL: url,
    });
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    for (const name of ['confirmation-mail', 'bulk-mail', 'queue-dead-letters']) await sqs.send(new PurgeQueueCommand({ QueueUrl: queues.url(name) }));
    letters.length = 0;
  });

  afterAll(async () => {
    await queues.close();
    for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  });

  it('takes what the project sender puts on a queue, in batches of ten, and gives each message back once with its receipt', async () => {
    const messages = Array.from({ length: 25 }, (_, i) => ({ id: `m${i}`, body: { kind: 'confirmation', itemKey: `SIGNATURE#free-them#${i}`, text: 'مرحبا ✊' } }));
    await sendToQueue('confirmation-mail', messages);

    const received = await receiveAll(url);
    // The SDK checks each body's MD5 itself: a wrong digest would have failed the receive.
    expect(received.map((m) => JSON.parse(m.Body!) as unknown)).toEqual(expect.arrayContaining(messages.map((m) => m.body)));
    expect(received).toHaveLength(25);
    expect(received[0]!.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: expect.any(String) as string });
    expect(await receiveAll(url)).toEqual([]);

    for (let i = 0; i < received.length; i += 10) {
      const batch = received.slice(i, i + 10);
      const result = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: batch.map((m, j) => ({ Id: `d${j}`, ReceiptHandle: m.ReceiptHandle })) }));
      expect(result.Failed ?? []).toEqual([]);
    }
    expect(queues.counts('confirmation-mail')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('hides a received message for the visibility timeout, then gives it again with a new receipt that alone deletes it', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"n":1}' }));
    const [first] = await receiveAll(url, 1);
    expect(await receiveAll(url)).toEqual([]);
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(attributes.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1', VisibilityTimeout: '30' });

    const again = await eventually(async () => (await receiveAll(url, 30))[0]);
    expect(again.MessageId).toBe(first!.MessageId);
    expect(again.Attributes?.ApproximateReceiveCount).toBe('2');

    // The first receipt is stale: deleting with it succeeds and deletes nothing, as on SQS.
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle }));
    expect(queues.counts('confirmation-mail').inFlight).toBe(1);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle }));
    expect(queues.counts('confirmation-mail')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('makes a message visible at once when its visibility is set to zero, and refuses it for a message not in flight', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: bulkUrl, MessageBody: 'x' }));
    const [message] = await receiveAll(bulkUrl);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: bulkUrl, ReceiptHandle: message!.ReceiptHandle, VisibilityTimeout: 0 }));
    const [again] = await receiveAll(bulkUrl);
    expect(again?.MessageId).toBe(message!.MessageId);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: bulkUrl, ReceiptHandle: again!.ReceiptHandle, VisibilityTimeout: 0 }));
    expect(await sqsError(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: bulkUrl, ReceiptHandle: again!.ReceiptHandle, VisibilityTimeout: 0 })))).toMatchObject({
      name: 'MessageNotInflight',
    });
  });

  it('answers a long poll as soon as a message arrives', async () => {
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: bulkUrl, WaitTimeSeconds: 20 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: bulkUrl, MessageBody: 'woken' }));
    const { Messages = [] } = await polling;
    expect(Messages.map((m) => m.Body)).toEqual(['woken']);
  });

  it('keeps a delayed message out of sight until its delay is over', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: bulkUrl, MessageBody: 'later', DelaySeconds: 1 }));
    expect(queues.counts('bulk-mail')).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    expect(await receiveAll(bulkUrl)).toEqual([]);
    const [late] = await eventually(async () => {
      const got = await receiveAll(bulkUrl);
      return got.length > 0 ? got : undefined;
    });
    expect(late?.Body).toBe('later');
  });

  it('moves a message received maxReceiveCount times to the dead-letter queue, and a redrive returns it to its queue', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    const [sent] = queues.peek('confirmation-mail');
    for (let receive = 1; receive <= 2; receive++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] }));
      expect(Messages.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual([String(receive)]);
    }
    // The third receive finds it past maxReceiveCount: SQS moves it rather than deliver it.
    expect(await receiveAll(url)).toEqual([]);
    expect(queues.peek('queue-dead-letters')).toEqual([{ messageId: sent!.messageId, body: 'poison', receiveCount: 2 }]);
    expect(letters).toEqual([expect.objectContaining({ queue: 'confirmation-mail', deadLetterQueue: 'queue-dead-letters', messageId: sent!.messageId, receiveCount: 2 })]);

    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }));
    const policy = JSON.parse(attributes.Attributes!.RedrivePolicy!) as { deadLetterTargetArn: string; maxReceiveCount: number };
    expect(policy).toEqual({ deadLetterTargetArn: queues.arn('queue-dead-letters'), maxReceiveCount: 2 });

    // What an operator runs on AWS: no destination, so each message goes back where it came from.
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: policy.deadLetterTargetArn }));
    expect(queues.peek('queue-dead-letters')).toEqual([]);
    const [back] = await receiveAll(url);
    expect(back?.Body).toBe('poison');
    expect(back?.Attributes?.ApproximateReceiveCount).toBe('1');
  });

  it('refuses what SQS refuses, as the SDK reports SQS errors', async () => {
    const missing = (name: string) => `${queues.endpoint}/000000000000/${name}`;
    expect(await sqsError(sqs.send(new SendMessageCommand({ QueueUrl: missing('nope'), MessageBody: 'x' })))).toMatchObject({ name: 'QueueDoesNotExist' });
    expect(await sqsError(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })))).toMatchObject({ name: 'QueueDoesNotExist' });
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' }));
    expect(await sqsError(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(11) })))).toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
    expect(await sqsError(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })))).toMatchObject({ name: 'EmptyBatchRequest' });
    expect(
      await sqsError(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }] }))),
    ).toMatchObject({ name: 'BatchEntryIdsNotDistinct' });
    expect(await sqsError(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'not ok!', MessageBody: 'x' }] })))).toMatchObject({
      name: 'InvalidBatchEntryId',
    });
    const big = 'x'.repeat(256 * 1024 + 1);
    expect(await sqsError(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'big', MessageBody: big }] })))).toMatchObject({
      name: 'BatchRequestTooLong',
    });
    expect(await sqsError(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })))).toMatchObject({ name: 'InvalidParameterValue' });
    // An entry SQS cannot take fails alone; its neighbours are sent.
    const mixed = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'good', MessageBody: 'ok' }, { Id: 'bad', MessageBody: '\u0000' }] }));
    expect(mixed.Successful?.map((e) => e.Id)).toEqual(['good']);
    expect(mixed.Failed).toEqual([expect.objectContaining({ Id: 'bad', Code: 'InvalidMessageContents', SenderFault: true })]);
    // Nothing refused was kept.
    expect(queues.peek('confirmation-mail').map((m) => m.body)).toEqual(['ok']);
  });

  it('keeps every acknowledged message across a restart, with its receive count, in a file only its owner can read', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tadamon-queues-'));
    directories.push(dir);
    const file = path.join(dir, 'queues.jsonl');
    const first = new LocalQueues(definitions, { file });
    first.send('bulk-mail', [{ body: 'a' }, { body: 'b' }, { body: 'c' }]);
    const [received] = first.receive('bulk-mail', 1);
    const [second] = first.receive('bulk-mail', 1);
    first.delete('bulk-mail', second!.receiptHandle);
    await first.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const restarted = new LocalQueues(definitions, { file });
    // The message in flight when the process stopped comes again at once: its receiver is gone with it.
    const after = restarted.receive('bulk-mail', 10);
    expect(after.map((m) => m.body).sort()).toEqual(['a', 'c']);
    expect(after.find((m) => m.messageId === received!.messageId)?.receiveCount).toBe(2);
    for (const message of after) restarted.delete('bulk-mail', message.receiptHandle);
    await restarted.close();
    expect(new LocalQueues(definitions, { file }).peek('bulk-mail')).toEqual([]);
  });

  it('rewrites its journal to what it still holds once the journal is mostly spent, and restarts from it intact', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tadamon-queues-'));
    directories.push(dir);
    const file = path.join(dir, 'queues.jsonl');
    const queue = new LocalQueues(definitions, { file });
    queue.send('bulk-mail', [{ body: 'kept' }]);
    for (let round = 0; round < 600; round++) {
      queue.send('confirmation-mail', Array.from({ length: 10 }, (_, i) => ({ body: `${round}-${i}` })));
      for (const message of queue.receive('confirmation-mail', 10)) queue.delete('confirmation-mail', message.receiptHandle);
    }
    await new Promise((resolve) => setImmediate(resolve));
    // 6,000 sends, 600 receives and 6,000 deletes were written; what is left is the one message still held.
    expect(statSync(file).size).toBeLessThan(100_000);
    await queue.close();
    const restarted = new LocalQueues(definitions, { file });
    expect(restarted.peek('bulk-mail').map((m) => m.body)).toEqual(['kept']);
    expect(restarted.peek('confirmation-mail')).toEqual([]);
    await restarted.close();
  });
});
