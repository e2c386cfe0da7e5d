import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { retriedOnlyWhenRefused } from '#shared/store/table.ts';

// A stand-in for DynamoDB that answers each request with the next scripted answer: what DynamoDB Local cannot be
// made to do on demand (fail after a write, throttle a whole request, drop the connection).
type Answer = { status: number; body: object } | 'drop';
let script: Answer[] = [];
let requests = 0;
let server: Server;
let client: DynamoDBDocumentClient;

const serverError: Answer = { status: 500, body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' } };
const throttled: Answer = {
  status: 400,
  body: { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'The level of configured provisioned throughput for the table was exceeded' },
};
const written: Answer = { status: 200, body: { UnprocessedItems: {} } };

const batch = () => new BatchWriteCommand({ RequestItems: { deliveries: [{ PutRequest: { Item: { pk: 'DELIVERY#o#k', sk: 'DELIVERY', status: 'queued' } } }] } });

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      const answer = script.shift() ?? written;
      if (answer === 'drop') {
        request.socket.destroy();
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }),
  );
});
afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  script = [];
  requests = 0;
});

describe('a write sent with retriedOnlyWhenRefused', () => {
  it('is not sent again after a server error, which may come after the write was done', async () => {
    script = [serverError, written];
    await expect(client.send(retriedOnlyWhenRefused(batch()))).rejects.toMatchObject({ name: 'WriteNotRepeated', cause: { name: 'InternalServerError' } });
    expect(requests).toBe(1);
  });

  it('is not sent again after a dropped connection', async () => {
    script = ['drop', written];
    await expect(client.send(retriedOnlyWhenRefused(batch()))).rejects.toThrow();
    expect(requests).toBe(1);
  });

  it('is sent again after DynamoDB refused it for the rate, which writes nothing', async () => {
    script = [throttled, written];
    expect(await client.send(retriedOnlyWhenRefused(batch()))).toMatchObject({ UnprocessedItems: {} });
    expect(requests).toBe(2);
  });

  it('changes nothing for other commands: the same server error is retried there', async () => {
    script = [serverError, written];
    expect(await client.send(batch())).toMatchObject({ UnprocessedItems: {} });
    expect(requests).toBe(2);
  });
});
