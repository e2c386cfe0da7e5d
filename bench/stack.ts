import { randomBytes } from 'node:crypto';
import type { StreamFaults } from '#infra/local/faults.ts';
import { freePort } from '#infra/local/ports.ts';
import { startLocalStack, type LocalStack } from '#infra/local/runtime.ts';
import { sleep } from './stats.ts';

export interface BenchStack extends LocalStack {
  startMs: number;
}

/**
 * Per-IP limits for the phases that drive the API from 127.0.0.1 alone (confirm to count, bursts, exports),
 * where real signers come from many addresses: on, but high enough never to refuse. The sign phase puts the
 * defaults back and sends each request from a viewer address of its own through the edge headers
 * (`benchEdgeSecret`). An explicit environment wins.
 */
export const benchRateLimits = { RATE_LIMIT_IP_BURST: '10000000/10', RATE_LIMIT_IP_SUSTAINED: '100000000/3600' };

/** The bench stack's edge secret (EDGE_ORIGIN_SECRET): requests that carry it are believed to come through CloudFront. */
export const benchEdgeSecret = `bench-edge-${randomBytes(12).toString('hex')}`;

/** The whole local system, in memory, on free ports, without demo campaigns. */
export async function startBenchStack(faults?: StreamFaults): Promise<BenchStack> {
  for (const [name, value] of Object.entries(benchRateLimits)) process.env[name] ??= value;
  process.env.EDGE_ORIGIN_SECRET ??= benchEdgeSecret;
  const started = performance.now();
  const stack = await startLocalStack({
    port: await freePort(),
    sesPort: await freePort(),
    dataDir: undefined,
    demoData: false,
    tableName: 'tadamon',
    ...(faults ? { faults } : {}),
  });
  return Object.assign(stack, { startMs: Math.round(performance.now() - started) });
}

export interface Counts {
  signatures: number;
  offset: number;
  total: number;
  endorsements: number;
  byCountry: Record<string, number>;
}

/** A thin HTTP client for the parts of the API the benchmarks drive. */
export class Api {
  constructor(private readonly stack: Pick<LocalStack, 'url' | 'adminToken' | 'inboxUrl'>) {}

  get url(): string {
    return this.stack.url;
  }

  async operator(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  }

  /** Creates and publishes a petition with this exact slug. */
  async openCampaign(slug: string, title: string): Promise<void> {
    const created = await this.operator('POST', '/admin/campaigns', { slug, kind: 'petition', title, summary: 'Benchmark campaign.', countries: ['MA'] });
    if (created.status !== 201) throw new Error(`creating ${slug}: ${created.status} ${await created.text()}`);
    const published = await this.operator('POST', `/admin/campaigns/${slug}/publish`);
    if (published.status !== 200) throw new Error(`publishing ${slug}: ${published.status} ${await published.text()}`);
  }

  async counts(slug: string): Promise<Counts> {
    const response = await fetch(`${this.stack.url}/campaigns/${slug}/counts`);
    if (response.status !== 200) throw new Error(`counts of ${slug}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Counts;
  }

  /** Waits until the campaign's signature count reaches `target` (or the time is up); returns the last count. */
  async waitForCount(slug: string, target: number, timeoutMs: number, pollMs = 100): Promise<{ signatures: number; reached: boolean; waitedMs: number }> {
    const started = performance.now();
    let signatures = 0;
    while (performance.now() - started < timeoutMs) {
      signatures = (await this.counts(slug)).signatures;
      if (signatures >= target) return { signatures, reached: true, waitedMs: Math.round(performance.now() - started) };
      await sleep(pollMs);
    }
    return { signatures, reached: false, waitedMs: Math.round(performance.now() - started) };
  }

  /** How many mails the local inbox holds (the SES-compatible store). */
  async inboxCount(): Promise<number | undefined> {
    if (!this.stack.inboxUrl) return undefined;
    const response = await fetch(`${this.stack.inboxUrl}/store`);
    const store = (await response.json()) as { emails: unknown[] };
    return store.emails.length;
  }

  /** Empties the in-memory inbox, so mail from one phase does not weigh on the next one's memory. */
  async clearInbox(): Promise<void> {
    if (this.stack.inboxUrl) await fetch(`${this.stack.inboxUrl}/clear-store`, { method: 'POST' });
  }
}

/**
 * Waits until the stack has nothing under way: `settled()` (no stream batch being delivered, the bus
 * drained), then this process's CPU quiet for a while. `settled()` alone only samples whether a batch is
 * being delivered at that instant, so a consumer catching up on a backlog can look idle between reads.
 */
export async function drain(stack: LocalStack, options: { quietMs?: number; timeoutMs?: number } = {}): Promise<{ ms: number; timedOut: boolean }> {
  const quietMs = options.quietMs ?? 1500;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const started = performance.now();
  let quietSince = performance.now();
  let last = process.cpuUsage();
  let lastAt = performance.now();
  while (performance.now() - started < timeoutMs) {
    await stack.settled();
    await sleep(250);
    const usage = process.cpuUsage(last);
    const now = performance.now();
    const busyShare = (usage.user + usage.system) / 1000 / (now - lastAt);
    last = process.cpuUsage();
    lastAt = now;
    if (busyShare > 0.15) quietSince = now;
    else if (now - quietSince >= quietMs) return { ms: Math.round(now - started - quietMs), timedOut: false };
  }
  return { ms: Math.round(performance.now() - started), timedOut: true };
}
