import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { unhandledErrorMetric } from '#infra/stack/monitoring.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { conflict } from '#shared/http/problem.ts';
import { json } from '#shared/http/responses.ts';
import { defineRoute } from '#shared/http/route-definition.ts';
import { logger, metrics } from '#shared/observability.ts';
import { httpEvent } from '#test/support/http-event.ts';

const route = defineRoute({ method: 'GET', path: '/things', name: 'UnitTest', tag: 'Service', summary: 'A test route', responses: {} } as const);
const call = (fn: () => Promise<never>) => httpHandler(route, fn)(httpEvent({ method: 'GET', path: '/things' }), lambdaContext('UnitTest', 10));

/** Every metric the handler recorded, as the names handed to Powertools, and what it published. */
function watchMetrics() {
  const recorded: string[] = [];
  const added = vi.spyOn(metrics, 'addMetric').mockImplementation((name: string) => {
    recorded.push(name);
    return metrics;
  });
  vi.spyOn(metrics, 'hasStoredMetrics').mockImplementation(() => recorded.length > 0);
  const published = vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
  return { recorded, added, published };
}

afterEach(() => vi.restoreAllMocks());

describe('the UnhandledError metric (what the unhandled-errors alarm watches)', () => {
  it('is counted once, and published, when a handler fails with an error nobody handled', async () => {
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const { recorded, added, published } = watchMetrics();
    const result = await call(async () => {
      throw new Error('the table went away');
    });
    expect(result.statusCode).toBe(500);
    expect(recorded).toEqual([unhandledErrorMetric]);
    expect(added).toHaveBeenCalledWith(unhandledErrorMetric, 'Count', 1);
    expect(published).toHaveBeenCalledTimes(1);
  });

  it('is not counted for an answer the handler meant (a problem such as 409), nor for a success', async () => {
    const { recorded, published } = watchMetrics();
    const refused = await call(async () => {
      throw conflict('already', 'It is already there.');
    });
    expect(refused.statusCode).toBe(409);
    const ok = await httpHandler(route, async () => json(200, { ok: true }))(httpEvent({ method: 'GET', path: '/things' }), lambdaContext('UnitTest', 10));
    expect(ok.statusCode).toBe(200);
    expect(recorded).toEqual([]);
    expect(published).not.toHaveBeenCalled();
  });
});
