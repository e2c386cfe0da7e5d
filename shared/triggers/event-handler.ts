import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import type { z } from 'zod';
import { logger, metrics } from '#shared/observability.ts';
import { invocation } from './invocation.ts';

/** What an event handler answers for an event whose detail is not what its contract says. */
export interface MalformedEvent {
  dropped: 'malformed-detail';
}

export type EventHandler<R> = (event: EventBridgeEvent<string, unknown>, context?: Context) => Promise<R | MalformedEvent>;

/**
 * An EventBridge consumer: `detail` is parsed with the event's zod contract (`events/`) before the handler
 * sees it. A detail that does not parse is logged (detail type, event id, and where it failed: paths and
 * issue codes, never values) and counted (`MalformedEvents`), then acknowledged, not thrown: a throw makes
 * Lambda's asynchronous invocation retry it twice and then dead-letter it, which is right for a throttled
 * table or mail server and useless for input that will be just as malformed on every retry. The metric, not
 * the dead-letter queue, is how an operator learns that a producer broke its contract.
 * Errors thrown by the handler itself are rethrown and take that retry path.
 */
export function eventHandler<S extends z.ZodType, R>(
  schema: S,
  fn: (detail: z.infer<S>, event: EventBridgeEvent<string, unknown>) => Promise<R>,
): EventHandler<R> {
  return invocation<EventBridgeEvent<string, unknown>, R | MalformedEvent>('event').handler(async (event) => {
    const parsed = schema.safeParse(event.detail);
    if (parsed.success) return fn(parsed.data, event);
    metrics.addMetric('MalformedEvents', MetricUnit.Count, 1);
    logger.error('event detail does not match its contract; dropped, not retried', {
      detailType: event['detail-type'],
      source: event.source,
      eventId: event.id,
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), code: issue.code })),
    });
    return { dropped: 'malformed-detail' } as const;
  }) as unknown as EventHandler<R>;
}
