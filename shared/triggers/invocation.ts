import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logger, metrics } from '#shared/observability.ts';
import { secretsFirst } from './secrets-first.ts';

/**
 * What every non-HTTP invocation shares with the HTTP one (`shared/http/handler.ts`): the Lambda context on
 * every log line, keys appended during an invocation dropped after it, and the metrics it recorded published
 * as it ends, also when it throws (a failed batch is when its metrics matter most).
 *
 * Middy's early timeout is off: on Lambda the platform ends a run at its timeout anyway, and locally a long
 * batch (a rate-limited send) must run to its end as it did before these wrappers, not fail 5 ms early.
 */
export function invocation<E, R>(trigger: string): MiddyfiedHandler<E, R, Error, Context> {
  return middy<E, R, Error, Context>({ timeoutEarlyInMillis: 0 })
    // The event is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says: records and details carry signers' data.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(flushMetrics())
    .use(logFailure(trigger))
    .use(secretsFirst());
}

function flushMetrics<E, R>(): MiddlewareObj<E, R> {
  const flush = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}

/** The error is logged with the invocation's context (ids, never the event), then rethrown for the platform's retry. */
function logFailure<E, R>(trigger: string): MiddlewareObj<E, R> {
  return { onError: (request) => void logger.error(`${trigger} invocation failed`, { error: request.error as Error }) };
}
