import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '#test/support/cli-runner.ts';

const work = mkdtempSync(path.join(tmpdir(), 'tadamon-dlq-'));
let api: Server;
let url: string;
/** The answers the stand-in API gives, one per replay call, and the calls it got. */
let answers: Record<string, unknown>[] = [];
let calls: { method: string; path: string; authorization: string | undefined }[] = [];

function tadamon(args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: work, work, connection: { url, token: 'operator-token' } });
}

const run = (replayed: number, left: number, more: Record<string, unknown> = {}) => ({ queue: 'events', replayed, skipped: 0, failed: 0, left, notes: [], ...more });

describe('tadamon dlq replay events', () => {
  beforeAll(async () => {
    // Stands in for the API: answers each replay call with the next prepared answer.
    api = createServer((request, response) => {
      calls.push({ method: request.method ?? '', path: request.url ?? '', authorization: request.headers.authorization });
      request.resume();
      const answer = answers.shift() ?? run(0, 0);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    answers = [];
    calls = [];
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (api ? api.close(() => resolve()) : resolve()));
  });

  it('calls the replay until nothing is left, and adds up what each call did', async () => {
    answers = [run(10, 25), run(10, 5), run(5, 0)];
    const result = await tadamon(['dlq', 'replay', 'events', '--json']);
    expect(result.code).toBe(0);
    expect(calls).toEqual(Array.from({ length: 3 }, () => ({ method: 'POST', path: '/admin/dead-letters/events/replay', authorization: 'Bearer operator-token' })));
    expect(JSON.parse(result.stdout)).toEqual({ queue: 'events', replayed: 25, skipped: 0, failed: 0, left: 0, notes: [] });
  });

  it('stops when a call replays nothing more, and says what was left and why', async () => {
    const note = "SomeoneElse is not one of this stack's event or schedule functions: left in the queue.";
    answers = [run(3, 4, { skipped: 2, notes: [note] }), run(0, 4, { skipped: 1, notes: [note] }), run(1, 0)];
    const result = await tadamon(['dlq', 'replay', 'address-events']);
    expect(result.code).toBe(0);
    expect(calls.map((c) => c.path)).toEqual(Array.from({ length: 2 }, () => '/admin/dead-letters/address-events/replay'));
    expect(result.stdout).toContain('Replayed 3 events of the address-events dead-letter queue');
    expect(result.stdout).toContain('Left in the queue: 3 skipped, 0 refused by Lambda.');
    expect(result.stdout.split(note)).toHaveLength(2);
  });

  it('stops at the first call Lambda refused', async () => {
    answers = [run(4, 30, { failed: 1, notes: ['NotifyOperators: TooManyRequestsException: Rate Exceeded.'] }), run(10, 20)];
    const result = await tadamon(['dlq', 'replay', 'events']);
    expect(calls).toHaveLength(1);
    expect(result.stdout).toContain('1 refused by Lambda');
    expect(result.stdout).toContain('About 30 still waiting: run it again.');
  });
});
