import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '#test/support/cli-runner.ts';

const work = mkdtempSync(path.join(tmpdir(), 'tadamon-webhooks-'));
let api: Server;
let url: string;
let calls: { method: string; path: string; body: string }[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: {} };

function tadamon(args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: work, work, connection: { url, token: 'operator-token' } });
}

describe('tadamon webhooks', () => {
  beforeAll(async () => {
    // Stands in for the API: records each call and gives the prepared answer.
    api = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        calls.push({ method: request.method ?? '', path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(answer.status, { 'content-type': answer.status >= 400 ? 'application/problem+json' : 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    calls = [];
  });

  afterAll(async () => {
    await new Promise((resolve) => api.close(resolve));
  });

  it('adds a webhook with its events and partner, and prints the secret once', async () => {
    answer = { status: 201, body: { id: 'a1b2', url: 'https://hooks.example.org/t', events: ['SignatureConfirmed', 'CampaignClosed'], partner: 'amnesty-ma', createdAt: 't', createdBy: 'op', secret: 'whsec_abc' } };
    const run = await tadamon(['webhooks', 'add', 'https://hooks.example.org/t', '--events', 'SignatureConfirmed, CampaignClosed', '--partner', 'amnesty-ma']);
    expect(run.code).toBe(0);
    expect(calls).toEqual([{ method: 'POST', path: '/admin/webhooks', body: JSON.stringify({ url: 'https://hooks.example.org/t', events: ['SignatureConfirmed', 'CampaignClosed'], partner: 'amnesty-ma' }) }]);
    expect(run.stdout).toContain('Added webhook a1b2 for amnesty-ma');
    expect(run.stdout.match(/whsec_abc/g)).toHaveLength(1);
  });

  it('lists deliveries with their attempts, answers and errors, and replays one', async () => {
    answer = {
      status: 200,
      body: { items: [{ id: 'd1', eventId: 'evt_1', type: 'SignatureConfirmed', status: 'dead-lettered', attempts: 4, statusCode: 503, lastError: 'HTTP 503', replays: 0, createdAt: 't', updatedAt: 'u' }], nextCursor: 'next-page' },
    };
    const listed = await tadamon(['webhooks', 'deliveries', 'a1b2', '--limit', '5']);
    expect(listed.code).toBe(0);
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/admin/webhooks/a1b2/deliveries?limit=5' });
    expect(listed.stdout).toMatch(/d1\s+SignatureConfirmed\s+dead-lettered\s+4\s+503\s+HTTP 503/);
    expect(listed.stdout).toContain('More: --cursor next-page');

    answer = { status: 202, body: { id: 'd1', eventId: 'evt_1', type: 'SignatureConfirmed', status: 'sent', attempts: 4, replays: 1, createdAt: 't', updatedAt: 'u' } };
    const replayed = await tadamon(['webhooks', 'replay', 'a1b2', 'd1']);
    expect(replayed.code).toBe(0);
    expect(calls[1]).toMatchObject({ method: 'POST', path: '/admin/webhooks/a1b2/deliveries/d1/replay' });
    expect(replayed.stdout).toContain('Sent SignatureConfirmed evt_1 again (replay 1)');
  });

  it('says why the API refused, and exits non-zero', async () => {
    answer = { status: 400, body: { type: 'about:blank', title: 'Invalid input', status: 400, detail: 'The webhook cannot be added.', errors: [{ path: 'url', message: 'url must be https.' }] } };
    const run = await tadamon(['webhooks', 'add', 'http://example.org/x', '--events', 'CampaignClosed']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('url must be https.');
  });
});
