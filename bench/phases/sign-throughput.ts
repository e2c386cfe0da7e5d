import path from 'node:path';
import { config, resetConfig } from '#shared/config.ts';
import { runChild } from '../child.ts';
import { cpuWindow, type CpuShare } from '../cpu.ts';
import type { LoadJob, LoadResult } from '../load-client.ts';
import type { BenchDynamo } from '../dynamo.ts';
import type { BenchSettings } from '../settings.ts';
import { benchRateLimits, drain, type Api, type BenchStack } from '../stack.ts';
import { round, sleep } from '../stats.ts';

export interface SignLevel {
  connections: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  p90Ms: number;
  maxMs: number;
  durationS: number;
  sent: number;
  acknowledged: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Pending signature items found in the table for this level's campaign afterwards. */
  itemsWritten: number;
  /** Acknowledged (202) but not in the table: must be 0. */
  lostAcknowledged: number;
  /** Written but never answered to the client: requests cut off when autocannon stopped at the deadline. */
  writtenUnacknowledged: number;
  confirmationMails: number | undefined;
  mailBacklogDrainMs: number;
  /** Confirmation mails out per second, from the start of the load until the backlog was gone. */
  mailsPerSecond: number | undefined;
  cpu: CpuShare | undefined;
}

export interface SignLevelVariant extends SignLevel {
  variant: string;
}

export interface SignReport {
  /** The limiter settings the phase ran with: the defaults, each request from an address of its own. */
  rateLimits: Record<string, string>;
  warmup: { connections: number; seconds: number; acknowledged: number };
  levels: SignLevel[];
  /** The top level again with the abuse guard's rate limits switched off: what the limiter costs here. */
  withoutRateLimits: SignLevelVariant;
  note: string;
}

const warmupConnections = 16;
const clientScript = path.join(import.meta.dirname, '..', 'load-client.ts');

/** Viewer addresses handed out so far in this process: every run of the load client starts after them. */
let viewersUsed = 0;

/** Runs autocannon in a child process (same tsx loader) and returns its summary. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const result = await runChild<LoadJob, LoadResult>(clientScript, { ...job, firstViewer: job.firstViewer ?? viewersUsed }, 'load client failed');
  viewersUsed += result.viewers;
  return result;
}

export async function signThroughput(stack: BenchStack, api: Api, dynamo: BenchDynamo, settings: BenchSettings['sign']): Promise<SignReport> {
  // The per-IP limits at their defaults (the other phases raise them for a load from one address): every
  // request comes from an address of its own, through the edge, as a surge of people does.
  const defaultIpLimits = Object.fromEntries(Object.entries(benchRateLimits).filter(([name, value]) => process.env[name] === value).map(([name]) => [name, undefined]));
  return withEnvironment(defaultIpLimits, () => signAtDefaults(stack, api, dynamo, settings));
}

async function signAtDefaults(stack: BenchStack, api: Api, dynamo: BenchDynamo, settings: BenchSettings['sign']): Promise<SignReport> {
  const run = Date.now().toString(36);
  const edgeSecret = config().EDGE_ORIGIN_SECRET;
  await api.openCampaign('bench-sign-warmup', 'Benchmark: warm-up');
  const warm = await runLoad({ url: api.url, path: '/campaigns/bench-sign-warmup/signatures', connections: warmupConnections, seconds: settings.warmupSeconds, emailPrefix: `warm-${run}`, ...(edgeSecret ? { edgeSecret } : {}) });
  await sleep(500);
  await drain(stack);
  await api.clearInbox();

  const levels: SignLevel[] = [];
  for (const connections of settings.levels) levels.push(await signLevel(stack, api, dynamo, `bench-sign-c${connections}`, connections, settings.seconds, `c${connections}-${run}`));

  const limits = ['RATE_LIMIT_IP_BURST', 'RATE_LIMIT_IP_SUSTAINED', 'RATE_LIMIT_CAMPAIGN_BURST', 'RATE_LIMIT_CAMPAIGN_SUSTAINED'] as const;
  const c = config();
  const inForce = Object.fromEntries(limits.map((name) => [name, c[name]]));
  const top = Math.max(...settings.levels);
  const withoutRateLimits: SignLevelVariant = await withEnvironment(Object.fromEntries(limits.map((name) => [name, 'off'])), async () => {
    console.log('  the same without rate limits:');
    const level = await signLevel(stack, api, dynamo, `bench-sign-c${top}-no-limits`, top, settings.seconds, `c${top}n-${run}`);
    return { ...level, variant: 'rate limits off' };
  });
  return {
    rateLimits: inForce,
    warmup: { connections: warmupConnections, seconds: settings.warmupSeconds, acknowledged: warm.statusCodes['202'] ?? 0 },
    levels,
    withoutRateLimits,
    note:
      'autocannon runs in a child process; the stack (gateway, handlers, stream consumers, inbox) runs in the bench process and DynamoDB Local in a JVM, all on the same 2 cores. ' +
      'Every request signs with a new email address from a viewer address of its own (CloudFront-Viewer-Address beside the edge secret), under the default limits. ' +
      'The confirmation mailer (SendConfirmations) consumes the stream during the load, as in production. rps = 202 answers / duration.',
  };
}

/** Runs `work` with some settings changed (the handlers read them through config()), then puts them back. */
async function withEnvironment<T>(values: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const saved = Object.keys(values).map((name) => [name, process.env[name]] as const);
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
  resetConfig();
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
    resetConfig();
  }
}

async function signLevel(stack: BenchStack, api: Api, dynamo: BenchDynamo, slug: string, connections: number, seconds: number, emailPrefix: string): Promise<SignLevel> {
  await api.openCampaign(slug, `Benchmark: signing at ${connections} clients`);
  console.log(`  sign: ${connections} clients for ${seconds} s`);
  const cpu = cpuWindow();
  const edgeSecret = config().EDGE_ORIGIN_SECRET;
  const load = await runLoad({ url: api.url, path: `/campaigns/${slug}/signatures`, connections, seconds, emailPrefix, ...(edgeSecret ? { edgeSecret } : {}) });
  const cpuShare = cpu();
  // Requests cut off at the deadline may still be finishing on the server: let them land before counting.
  await sleep(1000);
  const drained = await drain(stack);
  const mails = await api.inboxCount();
  await api.clearInbox();
  const items = await dynamo.signatureItems(slug);
  const acknowledged = load.statusCodes['202'] ?? 0;
  const level: SignLevel = {
    connections,
    rps: round(acknowledged / load.durationS),
    p50Ms: load.latency.p50,
    p90Ms: load.latency.p90,
    p99Ms: load.latency.p99,
    maxMs: load.latency.max,
    durationS: load.durationS,
    sent: load.sent,
    acknowledged,
    non2xx: load.non2xx,
    errors: load.errors,
    timeouts: load.timeouts,
    statusCodes: load.statusCodes,
    itemsWritten: items.total,
    lostAcknowledged: Math.max(0, acknowledged - items.total),
    writtenUnacknowledged: Math.max(0, items.total - acknowledged),
    confirmationMails: mails,
    mailBacklogDrainMs: drained.ms,
    mailsPerSecond: mails === undefined ? undefined : round(mails / (load.durationS + (1000 + drained.ms) / 1000)),
    cpu: cpuShare,
  };
  console.log(
    `    ${round(acknowledged / load.durationS)} signatures/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, ` +
      `non-2xx ${load.non2xx}, errors ${load.errors}; cores: bench ${cpuShare?.benchCores ?? '?'}, others ${cpuShare?.otherCores ?? '?'}; ${items.total} items for ${acknowledged} acknowledged; ${mails ?? '?'} mails, backlog drained in ${drained.ms} ms`,
  );
  return level;
}
