import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as listDeadLetters } from '#functions/http/admin/list-dead-letters.ts';
import { handler as replayDeadLetters } from '#functions/http/admin/replay-dead-letters.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { LocalQueues } from '#infra/local/queue-service.ts';
import { resetConfig } from '#shared/config.ts';
import type { HttpHandler } from '#shared/http/handler.ts';
import { deadLetterUrlVariable, replayFunctionsVariable } from '#shared/queues/dead-letters.ts';
import { httpEvent } from '#test/support/http-event.ts';

const operator = { authorization: 'Bearer operator-token-for-tests' };
const account = 'arn:aws:lambda:us-east-1:123456789012:function';
const queue = 'event-dead-letters';
let queues: LocalQueues;
let lambda: Server;
/** What Lambda's Invoke endpoint received, in order. */
let invoked: { path: string; headers: IncomingHttpHeaders; body: unknown }[] = [];

async function call(handler: HttpHandler, method: string, route: string, pathParameters?: Record<string, string>) {
  const result = await handler(httpEvent({ method, route, ...(pathParameters ? { pathParameters } : {}), headers: operator }), lambdaContext('DeadLetters', 29));
  return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
}

const replay = (name: string) => call(replayDeadLetters, 'POST', '/admin/dead-letters/{queue}/replay', { queue: name });

/** Lambda's on-failure destination record for an asynchronous invocation that failed every retry. */
function failureRecord(functionName: string, payload: unknown): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: '2036-03-01T10:00:00.000Z',
    requestContext: { requestId: crypto.randomUUID(), functionArn: `${account}:${functionName}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: payload,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Error', errorMessage: 'the table was throttled' },
  });
}

describe('replaying event failure records through the operator API', () => {
  beforeAll(async () => {
    queues = new LocalQueues([{ name: queue, visibilityTimeoutSeconds: 30 }]);
    await queues.listen();
    // Stands in for Lambda's Invoke endpoint: takes events, refuses those for "Throttled" as Lambda does.
    lambda = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        invoked.push({ path: request.url ?? '', headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
        if (request.url?.includes('/Throttled/')) {
          response.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException:http://internal' });
          response.end(JSON.stringify({ message: 'Rate Exceeded.' }));
          return;
        }
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => lambda.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      ADMIN_TOKEN: 'operator-token-for-tests',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SQS: queues.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`,
      [deadLetterUrlVariable('events')]: queues.url(queue),
      [replayFunctionsVariable]: 'NotifyOperators,PlanOutreach,Throttled',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    resetConfig();
  });

  beforeEach(() => {
    queues.purge(queue);
    invoked = [];
  });

  afterAll(async () => {
    await queues?.close();
    await new Promise<void>((resolve) => (lambda ? lambda.close(() => resolve()) : resolve()));
  });

  it('lists the events queue as replayed by invoking', async () => {
    const listed = await call(listDeadLetters, 'GET', '/admin/dead-letters');
    expect(listed.body.items).toEqual([{ queue: 'events', holds: expect.any(String), replay: 'invoke', messages: 0, inFlight: 0 }]);
  });

  it('invokes exactly the function that failed, asynchronously, with its original event, and deletes the record', async () => {
    const events = Array.from({ length: 12 }, (_, i) => ({ 'detail-type': 'MilestoneReached', detail: { campaignId: `c-${i}`, milestone: 1000 } }));
    queues.send(queue, [...events.map((event) => ({ body: failureRecord('NotifyOperators', event) })), { body: failureRecord('PlanOutreach', { outreachId: 'o-1' }) }]);

    const replayed = await replay('events');
    expect(replayed).toEqual({ status: 200, body: { queue: 'events', replayed: 13, skipped: 0, failed: 0, left: 0, notes: [] } });
    expect(queues.counts(queue)).toMatchObject({ visible: 0, inFlight: 0 });

    expect(invoked).toHaveLength(13);
    for (const call of invoked) {
      expect(call.headers['x-amz-invocation-type']).toBe('Event');
      expect(call.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/lambda\/aws4_request/);
    }
    const toNotify = invoked.filter((c) => c.path === '/2015-03-31/functions/NotifyOperators/invocations').map((c) => c.body);
    expect(toNotify).toHaveLength(12);
    expect(toNotify).toEqual(expect.arrayContaining(events));
    expect(invoked.filter((c) => c.path === '/2015-03-31/functions/PlanOutreach/invocations').map((c) => c.body)).toEqual([{ outreachId: 'o-1' }]);

    // Nothing left: a second run invokes nothing.
    expect((await replay('events')).body).toMatchObject({ replayed: 0, left: 0 });
    expect(invoked).toHaveLength(13);
  });

  it("leaves records for functions that are not this stack's, and what it cannot read, and says why", async () => {
    queues.send(queue, [{ body: failureRecord('SomeoneElsesFunction', { x: 1 }) }, { body: 'not a failure record' }, { body: failureRecord('NotifyOperators', { y: 2 }) }]);
    const replayed = await replay('events');
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ replayed: 1, skipped: 2, failed: 0, left: 0 });
    expect(replayed.body.notes).toEqual([
      "SomeoneElsesFunction is not one of this stack's event or schedule functions: left in the queue.",
      expect.stringContaining('Neither a rule or schedule dead letter'),
    ]);
    expect(invoked.map((c) => c.path)).toEqual(['/2015-03-31/functions/NotifyOperators/invocations']);
    // Still there, hidden for a while so the next run does not read them again at once.
    expect(queues.counts(queue)).toMatchObject({ visible: 0, inFlight: 2 });
  });

  it('keeps a record Lambda refuses, stops the run and says what Lambda answered', async () => {
    queues.send(queue, [{ body: failureRecord('Throttled', { z: 3 }) }]);
    const replayed = await replay('events');
    expect(replayed.body).toMatchObject({ replayed: 0, skipped: 0, failed: 1, notes: ['Throttled: TooManyRequestsException: Rate Exceeded.'] });
    expect(queues.counts(queue)).toMatchObject({ visible: 0, inFlight: 1 });
  });

  it('answers 404 for an event queue this deployment does not have (as locally), and never invokes an event record found in the stream queue', async () => {
    const missing = await replay('address-events');
    expect(missing.status).toBe(404);
    expect(String(missing.body.detail)).toContain('GET /admin/dead-letters');
    process.env[deadLetterUrlVariable('stream')] = queues.url(queue);
    try {
      queues.send(queue, [{ body: failureRecord('NotifyOperators', { w: 4 }) }]);
      const refused = await replay('stream');
      expect(refused.status).toBe(200);
      expect(refused.body).toMatchObject({ replayed: 0, skipped: 1 });
      expect(invoked).toEqual([]);
      expect(queues.counts(queue).visible + queues.counts(queue).inFlight).toBe(1);
    } finally {
      Reflect.deleteProperty(process.env, deadLetterUrlVariable('stream'));
    }
  });
});
