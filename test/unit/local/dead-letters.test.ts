import { DescribeStreamCommand, type DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it, vi } from 'vitest';
import { JsonLines, StateFile } from '#infra/local/state-file.ts';
import { StreamPoller, type Checkpoints, type DeadLetter } from '#infra/local/stream-poller.ts';
import { noFaults } from '#infra/local/faults.ts';
import type { StreamTrigger } from '#infra/manifest.ts';

/** A stream of one shard holding `records`, as DynamoDB Streams answers the poller. */
function streamOf(records: _Record[]): DynamoDBStreamsClient {
  const send = async (command: object) => {
    if (command instanceof DescribeStreamCommand) return { StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } };
    if (command instanceof GetShardIteratorCommand) return { ShardIterator: 'first' };
    if (command instanceof GetRecordsCommand) {
      return command.input.ShardIterator === 'first' ? { Records: records, NextShardIterator: 'end' } : { Records: [] };
    }
    throw new Error(`unexpected ${command.constructor.name}`);
  };
  return { send } as unknown as DynamoDBStreamsClient;
}

const signature = (sequence: string, email: string, name: string): _Record => ({
  eventID: `e${sequence}`,
  eventName: 'INSERT',
  dynamodb: {
    Keys: { pk: { S: 'SIGNATURE#free-nasser-zefzafi#Xk2v9' }, sk: { S: 'SIGNATURE' } },
    NewImage: { pk: { S: 'SIGNATURE#free-nasser-zefzafi#Xk2v9' }, sk: { S: 'SIGNATURE' }, type: { S: 'signature' }, email: { S: email }, name: { S: name }, postcode: { S: '93000' } },
    SequenceNumber: sequence,
    SizeBytes: 200,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

const trigger: StreamTrigger = {
  type: 'stream',
  filters: [{ eventName: ['INSERT'] }],
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  retryAttempts: 0,
  bisectOnError: false,
  parallelizationFactor: 1,
  maxRecordAgeSeconds: 3600,
};

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a dead letter of the local stream poller', () => {
  it('names the records by sequence number, change and key, and carries nothing of what they hold', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const deadLetters = new JsonLines<DeadLetter>(undefined);
    const poller = new StreamPoller({
      client: streamOf([signature('100', 'amina@example.org', 'Amina Benali'), signature('101', 'karim@example.net', 'Karim')]),
      streamArn: 'arn:aws:dynamodb:local:000000000000:table/t/stream/x',
      consumers: [
        {
          name: 'SendConfirmations',
          trigger,
          // What SES answers in its sandbox: the error names the address.
          invoke: async () => {
            throw new Error('Email address is not verified. The following identities failed the check: amina@example.org');
          },
        },
      ],
      checkpoints: new StateFile<Checkpoints>(undefined, {}),
      deadLetters,
      faults: noFaults,
      pollIntervalMs: 10,
    });
    poller.start();
    await until(() => deadLetters.list().length > 0, 'the dead letter');
    await poller.stop();

    const [letter] = deadLetters.list();
    expect(letter).toMatchObject({
      consumer: 'SendConfirmations',
      shardId: 'shard-1',
      firstSequenceNumber: '100',
      lastSequenceNumber: '101',
      batchSize: 2,
      attempts: 1,
      records: [
        { sequenceNumber: '100', eventName: 'INSERT', keys: { pk: 'SIGNATURE#free-nasser-zefzafi#Xk2v9', sk: 'SIGNATURE' } },
        { sequenceNumber: '101', eventName: 'INSERT', keys: { pk: 'SIGNATURE#free-nasser-zefzafi#Xk2v9', sk: 'SIGNATURE' } },
      ],
    });
    const written = JSON.stringify(letter);
    for (const personal of ['amina', 'Amina', 'karim', 'Benali', '93000', 'NewImage']) expect(written).not.toContain(personal);
    expect(letter?.error).toContain('[email]');
    expect(JSON.stringify(logged.mock.calls)).not.toContain('amina@example.org');
    logged.mockRestore();
  });
});
