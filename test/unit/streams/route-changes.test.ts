import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as routeChanges } from '#functions/streams/route-changes.ts';
import { resetConfig } from '#shared/config.ts';

const sqs = mockClient(SQSClient);
const eventBridge = mockClient(EventBridgeClient);

let sequence = 0;
function record(eventName: 'INSERT' | 'MODIFY', newImage: Record<string, unknown>, oldImage?: Record<string, unknown>): DynamoDBRecord {
  return {
    eventName,
    dynamodb: {
      SequenceNumber: String(++sequence),
      NewImage: marshall(newImage) as never,
      ...(oldImage ? { OldImage: marshall(oldImage) as never } : {}),
    },
  };
}

const pending = (id: string, requestId = 'request-1') => ({ pk: `SIGNATURE#rif#${id}`, sk: 'SIGNATURE', type: 'signature', status: 'pending', email: `${id}@example.org`, requestId });
const delivery = (emailKey: string) => ({ pk: `DELIVERY#call-1#${emailKey}`, sk: 'DELIVERY', type: 'delivery', outreachId: 'call-1', subscriberKey: emailKey, status: 'queued' });
const campaign = (status: string) => ({
  pk: 'CAMPAIGN#rif',
  sk: 'CAMPAIGN',
  type: 'campaign',
  slug: 'rif',
  kind: 'petition',
  title: 'Free the Rif detainees',
  status,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
});
const event = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const failures = (response: unknown) => (response as { batchItemFailures: { itemIdentifier: string }[] }).batchItemFailures.map((f) => f.itemIdentifier);
const bodiesSentTo = (queue: string) =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .filter((call) => call.args[0].input.QueueUrl === `http://queues.local/${queue}`)
    .flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => JSON.parse(entry.MessageBody ?? '{}') as unknown));

describe('the stream router', () => {
  beforeAll(() => {
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      QUEUE_URL_CONFIRMATION_MAIL: 'http://queues.local/confirmation-mail',
      QUEUE_URL_BULK_MAIL: 'http://queues.local/bulk-mail',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    resetConfig();
  });
  afterEach(() => {
    sqs.reset();
    eventBridge.reset();
  });

  it('sends each kind of change to its place: links and deliveries to their queues, openings and outreach to the bus', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const response = await routeChanges(
      event(
        record('INSERT', pending('amina')),
        record('INSERT', delivery('key-1')),
        record('MODIFY', campaign('open'), campaign('draft')),
        record('INSERT', { pk: 'OUTREACH#call-1', sk: 'OUTREACH', type: 'outreach', id: 'call-1', kind: 'urgent-call', status: 'queued' }),
        // Nothing to forward: a waiting request edited without a new request, a delivery that moved on.
        record('MODIFY', { ...pending('karim'), linkRequests: 2 }, pending('karim')),
        record('MODIFY', { ...delivery('key-2'), status: 'sent' }, delivery('key-2')),
      ),
    );
    expect(failures(response)).toEqual([]);
    // Keys and ids only: no address leaves the table on a queue.
    expect(bodiesSentTo('confirmation-mail')).toEqual([{ key: { pk: 'SIGNATURE#rif#amina', sk: 'SIGNATURE' }, requestId: 'request-1' }]);
    expect(bodiesSentTo('bulk-mail')).toEqual([{ outreachId: 'call-1', emailKey: 'key-1' }]);
    expect(JSON.stringify(sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input))).not.toContain('@example.org');
    const entries = eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);
    expect(entries.map((entry) => entry.DetailType).sort()).toEqual(['CampaignPublished', 'UrgentCallIssued']);
  });

  it('puts a full batch on a queue in calls of ten, the most SendMessageBatch takes', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const records = Array.from({ length: 25 }, (_, i) => record('INSERT', delivery(`key-${i}`)));
    expect(failures(await routeChanges(event(...records)))).toEqual([]);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 10, 5]);
    expect(bodiesSentTo('bulk-mail')).toHaveLength(25);
  });

  it('fails exactly the records it could not forward, so the stream delivers them again and nothing is dropped', async () => {
    sqs.on(SendMessageBatchCommand, { QueueUrl: 'http://queues.local/confirmation-mail' }).rejects(Object.assign(new Error('Queue unavailable'), { name: 'ServiceUnavailable' }));
    sqs.on(SendMessageBatchCommand, { QueueUrl: 'http://queues.local/bulk-mail' }).resolves({ Successful: [], Failed: [] });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const link = record('INSERT', pending('amina'));
    const queued = record('INSERT', delivery('key-1'));
    const opened = record('INSERT', campaign('open'));
    const response = await routeChanges(event(link, queued, opened));
    expect(failures(response).sort()).toEqual([link.dynamodb!.SequenceNumber, opened.dynamodb!.SequenceNumber].sort());
    expect(bodiesSentTo('bulk-mail')).toEqual([{ outreachId: 'call-1', emailKey: 'key-1' }]);
  });

  it('retries entries SQS refused within a batch, and fails the records only when they are still refused', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [{ Id: 'm0', MessageId: 'a', MD5OfMessageBody: '' }], Failed: [{ Id: 'm1', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Successful: [], Failed: [] });
    const response = await routeChanges(event(record('INSERT', delivery('key-1')), record('INSERT', delivery('key-2'))));
    expect(failures(response)).toEqual([]);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.map((entry) => entry.Id))).toEqual([['m0', 'm1'], ['m1']]);
  });

  it('forwards a record delivered twice twice, which the idempotent senders make harmless', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const twice = record('INSERT', pending('amina'));
    await routeChanges(event(twice));
    await routeChanges(event(twice));
    expect(bodiesSentTo('confirmation-mail')).toEqual([
      { key: { pk: 'SIGNATURE#rif#amina', sk: 'SIGNATURE' }, requestId: 'request-1' },
      { key: { pk: 'SIGNATURE#rif#amina', sk: 'SIGNATURE' }, requestId: 'request-1' },
    ]);
  });

  it('fails alone a change it cannot read, and forwards the rest', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const broken = record('INSERT', { pk: 'DELIVERY#x', sk: 'DELIVERY', type: 'delivery', status: 'queued' });
    const fine = record('INSERT', delivery('key-1'));
    expect(failures(await routeChanges(event(broken, fine)))).toEqual([broken.dynamodb!.SequenceNumber]);
    expect(bodiesSentTo('bulk-mail')).toEqual([{ outreachId: 'call-1', emailKey: 'key-1' }]);
  });
});
