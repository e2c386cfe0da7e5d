import type { Context } from 'aws-lambda';
import { invocation } from './invocation.ts';

export type ScheduleHandler<R> = (event?: unknown, context?: Context) => Promise<R>;

/**
 * A scheduled job: the Scheduler's event carries nothing a job reads (the time is read from the clock), so
 * the wrapper adds only the invocation's logging and metrics. A job that throws is retried by the Scheduler;
 * every job is idempotent, and the next run picks up what a failed one left.
 */
export function scheduleHandler<R>(fn: () => Promise<R>): ScheduleHandler<R> {
  return invocation<unknown, R>('schedule').handler(() => fn()) as unknown as ScheduleHandler<R>;
}
