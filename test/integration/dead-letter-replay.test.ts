import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as listDeadLetters } from '#functions/http/admin/list-dead-letters.ts';
import { handler as replayDeadLetters } from '#functions/http/admin/replay-dead-letters.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { LocalQueues } from '#infra/local/queue-service.ts';
import { resetConfig } from '#shared/config.ts';
import type { HttpHandler } from '#shared/http/handler.ts';
import { deadLetterUrlVariable } from '#shared/queues/dead-letters.ts';
import { httpEvent } from '#test/support/http-event.ts';

const operator = { authorization: 'Bearer operator-token-for-tests' };
let queues: LocalQueues;

async function call(handler: HttpHandler, method: string, route: string, pathParameters?: Record<string, string>) {
  const result = await handler(httpEvent({ method, route, ...(pathParameters ? { pathParameters } : {}), headers: operator }), lambdaContext('DeadLetters', 10));
  return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
}

/** A mail message that failed its one receive, as SQS's redrive policy then moves it. */
function failTwice(queue: string, body: unknown): void {
  queues.send(queue, [{ body: JSON.stringify(body) }]);
  queues.receive(queue, 10, 0);
  // Received once already (maxReceiveCount 1): the next receive moves it to the dead-letter queue.
  expect(queues.receive(queue, 10, 0)).toEqual([]);
}

describe('dead letters through the operator API, on the local queue service', () => {
  beforeAll(async () => {
    queues = new LocalQueues([
      { name: 'bulk-mail', visibilityTimeoutSeconds: 30, redrive: { deadLetterQueue: 'queue-dead-letters', maxReceiveCount: 1 } },
      { name: 'confirmation-mail', visibilityTimeoutSeconds: 30, redrive: { deadLetterQueue: 'queue-dead-letters', maxReceiveCount: 1 } },
      { name: 'queue-dead-letters', visibilityTimeoutSeconds: 30 },
    ]);
    await queues.listen();
    Object.assign(process.env, {
      ADMIN_TOKEN: 'operator-token-for-tests',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SQS: queues.endpoint,
      [deadLetterUrlVariable('mail')]: queues.url('queue-dead-letters'),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    resetConfig();
  });

  afterAll(async () => {
    await queues?.close();
  });

  it('lists the mail dead-letter queue with its count, and says the empty queue has nothing to replay', async () => {
    const listed = await call(listDeadLetters, 'GET', '/admin/dead-letters');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([{ queue: 'mail', holds: expect.any(String), replay: 'move', messages: 0, inFlight: 0 }]);
    const replayed = await call(replayDeadLetters, 'POST', '/admin/dead-letters/{queue}/replay', { queue: 'mail' });
    expect(replayed).toEqual({ status: 202, body: { queue: 'mail', messages: 0, perSecond: 10, status: 'empty' } });
  });

  it('sends each dead letter back to the queue it came from', async () => {
    failTwice('bulk-mail', { delivery: 'one' });
    failTwice('bulk-mail', { delivery: 'two' });
    failTwice('confirmation-mail', { link: 'three' });
    expect((await call(listDeadLetters, 'GET', '/admin/dead-letters')).body.items).toMatchObject([{ queue: 'mail', messages: 3 }]);

    const replayed = await call(replayDeadLetters, 'POST', '/admin/dead-letters/{queue}/replay', { queue: 'mail' });
    expect(replayed).toEqual({ status: 202, body: { queue: 'mail', messages: 3, perSecond: 10, status: 'moving' } });
    expect(queues.counts('queue-dead-letters').visible).toBe(0);
    expect(queues.peek('bulk-mail').map((m) => JSON.parse(m.body))).toEqual([{ delivery: 'one' }, { delivery: 'two' }]);
    expect(queues.peek('confirmation-mail').map((m) => JSON.parse(m.body))).toEqual([{ link: 'three' }]);
    // Their receive counts start again: each gets its full number of tries.
    expect(queues.receive('bulk-mail', 10, 0)).toHaveLength(2);
  });

  it('refuses a queue it does not have (404) and changes nothing', async () => {
    const unknown = await call(replayDeadLetters, 'POST', '/admin/dead-letters/{queue}/replay', { queue: 'stream' });
    expect(unknown.status).toBe(404);
    expect(String(unknown.body.detail)).toContain('GET /admin/dead-letters');
  });

  it('never moves stream failure records: it reads what is not a stream failure record, says so and leaves it', async () => {
    process.env[deadLetterUrlVariable('stream')] = queues.url('queue-dead-letters');
    try {
      failTwice('bulk-mail', { delivery: 'four' });
      const waiting = queues.counts('queue-dead-letters').visible;
      expect(waiting).toBeGreaterThan(0);
      const replayed = await call(replayDeadLetters, 'POST', '/admin/dead-letters/{queue}/replay', { queue: 'stream' });
      expect(replayed.status).toBe(200);
      expect(replayed.body).toMatchObject({ queue: 'stream', replayed: 0, skipped: waiting, failed: 0 });
      expect(String(replayed.body.notes)).toContain('DDBStreamBatchInfo');
      expect(queues.counts('queue-dead-letters').visible + queues.counts('queue-dead-letters').inFlight).toBe(waiting);
      expect(queues.peek('bulk-mail').map((m) => JSON.parse(m.body))).not.toContainEqual({ delivery: 'four' });
      expect((await call(listDeadLetters, 'GET', '/admin/dead-letters')).body.items).toMatchObject([{ queue: 'mail' }, { queue: 'stream', replay: 'invoke' }]);
    } finally {
      Reflect.deleteProperty(process.env, deadLetterUrlVariable('stream'));
    }
  });
});
