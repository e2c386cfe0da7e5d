import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBRecord, DynamoDBStreamEvent, EventBridgeEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { logger, metrics } from '#shared/observability.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';
import { queueHandler } from '#shared/triggers/queue-handler.ts';
import { scheduleHandler } from '#shared/triggers/schedule-handler.ts';
import { batchStreamHandler, recordStreamHandler } from '#shared/triggers/stream-handler.ts';

const record = (sequence: string): DynamoDBRecord => ({ eventName: 'INSERT', eventID: sequence, dynamodb: { SequenceNumber: sequence, Keys: { pk: { S: `ITEM#${sequence}` } } } });
const batch = (...sequences: string[]): DynamoDBStreamEvent => ({ Records: sequences.map(record) });
const busEvent = (detail: unknown): EventBridgeEvent<string, unknown> => ({
  version: '0',
  id: 'event-1',
  'detail-type': 'ThingHappened',
  source: 'tadamon',
  account: '000000000000',
  time: '2026-11-21T12:00:00Z',
  region: 'local',
  resources: [],
  detail,
});

/** What the shared logger writes (error level: the test environment silences the others), as parsed JSON lines. */
function logLines(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  const console = (logger as unknown as { console: { error: (s: string) => void } }).console;
  vi.spyOn(console, 'error').mockImplementation((s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>));
  return lines;
}

/** How many times stored metrics were published (the spy clears them, as publishing does). */
function flushes(): unknown[] {
  const published: unknown[] = [];
  vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    published.push(metrics.hasStoredMetrics());
    metrics.clearMetrics();
    return metrics;
  });
  return published;
}

beforeEach(() => metrics.clearMetrics());
afterEach(() => vi.restoreAllMocks());

describe('every trigger: metrics are published as the invocation ends, also when it throws', () => {
  const failing = new Error('table throttled');
  const cases = [
    ['stream (batch)', () => batchStreamHandler(async () => { metrics.addMetric('Thing', MetricUnit.Count, 1); throw failing; })(batch('1'))],
    ['stream (records)', () => recordStreamHandler(() => async () => { metrics.addMetric('Thing', MetricUnit.Count, 1); throw failing; })(batch('1', '2'))],
    ['event', () => eventHandler(z.object({}), async () => { metrics.addMetric('Thing', MetricUnit.Count, 1); throw failing; })(busEvent({}))],
    ['schedule', () => scheduleHandler(async () => { metrics.addMetric('Thing', MetricUnit.Count, 1); throw failing; })()],
  ] as const;

  for (const [trigger, run] of cases) {
    it(`${trigger}: the error reaches the platform and the metric is published`, async () => {
      const published = flushes();
      const lines = logLines();
      await expect(run()).rejects.toThrow();
      expect(published).toHaveLength(1);
      expect(metrics.hasStoredMetrics()).toBe(false);
      expect(lines.map((l) => l.message)).toContain(`${trigger.split(' ')[0]} invocation failed`);
    });
  }

  it('publishes after a successful invocation, and nothing when nothing was recorded', async () => {
    const published = flushes();
    await scheduleHandler(async () => metrics.addMetric('Thing', MetricUnit.Count, 1))();
    expect(published).toHaveLength(1);
    await scheduleHandler(async () => 'nothing recorded')();
    expect(published).toHaveLength(1);
  });
});

describe('every trigger: log lines carry the Lambda context', () => {
  it('names the function and the request on lines written during the invocation, and drops keys appended in it', async () => {
    const lines = logLines();
    const context = lambdaContext('CountConfirmations', 10);
    const handler = batchStreamHandler(async () => {
      logger.appendKeys({ campaign: 'free-them' });
      logger.error('inside');
      return [];
    });
    await handler(batch('1'), context);
    await scheduleHandler(async () => logger.error('later'))(undefined, lambdaContext('ReconcileCounts', 10));
    const [inside, later] = lines;
    expect(inside).toMatchObject({ message: 'inside', function_name: 'CountConfirmations', function_request_id: context.awsRequestId, campaign: 'free-them' });
    expect(later).toMatchObject({ message: 'later', function_name: 'ReconcileCounts' });
    expect(later).not.toHaveProperty('campaign');
  });
});

describe('stream handlers: one partial-batch model', () => {
  it('a batch handler answers the records it returns as failed, by sequence number', async () => {
    const handler = batchStreamHandler(async (records) => records.filter((r) => r.dynamodb?.SequenceNumber !== '2'));
    expect(await handler(batch('1', '2', '3'))).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '3' }] });
    expect(await batchStreamHandler(async () => [])(batch('1'))).toEqual({ batchItemFailures: [] });
  });

  it('a record handler fails only the records that threw, and shares one scope per invocation', async () => {
    const scopes: Set<string>[] = [];
    const handler = recordStreamHandler(() => {
      const seen = new Set<string>();
      scopes.push(seen);
      return async (r) => {
        seen.add(r.dynamodb?.SequenceNumber ?? '');
        if (r.dynamodb?.SequenceNumber === '2') throw new Error('mail refused');
      };
    });
    expect(await handler(batch('1', '2', '3'))).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(await handler(batch('4'))).toEqual({ batchItemFailures: [] });
    expect(scopes.map((s) => [...s].sort())).toEqual([['1', '2', '3'], ['4']]);
  });

  it('a record handler whose every record failed fails the whole batch', async () => {
    const lines = logLines();
    const handler = recordStreamHandler(() => async () => {
      throw new Error('mail server down');
    });
    await expect(handler(batch('1', '2'))).rejects.toThrow('All records failed');
    expect(lines.map((l) => l.message)).toEqual(['stream invocation failed']);
  });
});

describe('event handlers: the detail is parsed with its contract', () => {
  const contract = z.object({ outreachId: z.string(), kind: z.enum(['urgent-call', 'digest']) });

  it('hands the handler the parsed detail', async () => {
    const seen: unknown[] = [];
    const handler = eventHandler(contract, async (detail) => void seen.push(detail));
    await handler(busEvent({ outreachId: 'o-1', kind: 'digest', extra: 'dropped by the schema' }));
    expect(seen).toEqual([{ outreachId: 'o-1', kind: 'digest' }]);
  });

  it('drops a malformed detail without retrying it: logged with paths and codes, never values, and counted', async () => {
    const lines = logLines();
    const published = flushes();
    const added = vi.spyOn(metrics, 'addMetric');
    const run = vi.fn(async () => 'ran');
    const handler = eventHandler(contract, run);
    const answer = await handler(busEvent({ outreachId: 'salma@example.org', kind: 'leaflet' }), lambdaContext('PlanOutreach', 10));
    expect(answer).toEqual({ dropped: 'malformed-detail' });
    expect(run).not.toHaveBeenCalled();
    expect(added).toHaveBeenCalledWith('MalformedEvents', MetricUnit.Count, 1);
    expect(published).toHaveLength(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ detailType: 'ThingHappened', eventId: 'event-1', function_name: 'PlanOutreach', issues: [{ path: 'kind', code: 'invalid_value' }] });
    expect(JSON.stringify(lines[0])).not.toContain('salma');
    expect(JSON.stringify(lines[0])).not.toContain('leaflet');
  });

  it('drops an event with no detail at all', async () => {
    logLines();
    const run = vi.fn(async () => 'ran');
    expect(await eventHandler(contract, run)(busEvent(undefined))).toEqual({ dropped: 'malformed-detail' });
    expect(run).not.toHaveBeenCalled();
  });
});

describe('queue consumers', () => {
  const message = (id: string, body: string): SQSRecord =>
    ({ messageId: id, receiptHandle: `r-${id}`, body, attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:local:0:q', awsRegion: 'local' }) as SQSRecord;
  const queue = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
  const contract = z.object({ deliveryId: z.string(), email: z.string().optional() });

  it('hand each parsed body to the handler and name only the messages that failed', async () => {
    const seen: string[] = [];
    const handler = queueHandler(contract, async ({ deliveryId }) => {
      seen.push(deliveryId);
      if (deliveryId === 'b') throw new Error('SES throttled');
    });
    const answer = await handler(queue(message('1', '{"deliveryId":"a"}'), message('2', '{"deliveryId":"b"}'), message('3', '{"deliveryId":"c"}')));
    expect(seen.sort()).toEqual(['a', 'b', 'c']);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it('drop a body that breaks its contract or is not JSON: counted and logged without its values, never retried', async () => {
    const published = flushes();
    const lines = logLines();
    const handled: unknown[] = [];
    const handler = queueHandler(contract, async (body) => void handled.push(body));
    const answer = await handler(queue(message('1', '{"deliveryId":42,"email":"victim@example.org"}'), message('2', 'not json'), message('3', '{"deliveryId":"ok"}')));
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual([{ deliveryId: 'ok' }]);
    expect(published).toEqual([true]);
    const dropped = lines.filter((line) => line.message === 'queue message dropped: its body does not match its contract');
    expect(dropped.map((line) => line.messageId)).toEqual(['1', '2']);
    expect(JSON.stringify(lines)).not.toContain('victim@example.org');
  });

  it('let an invocation that cannot read its batch fail whole, logged, for the platform to retry', async () => {
    const lines = logLines();
    const handler = queueHandler(contract, async () => undefined);
    await expect(handler({} as SQSEvent)).rejects.toThrow();
    expect(lines.map((line) => line.message)).toContain('queue invocation failed');
  });
});
