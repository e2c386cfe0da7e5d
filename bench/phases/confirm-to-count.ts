import { cpuWindow, type CpuShare } from '../cpu.ts';
import type { BenchDynamo } from '../dynamo.ts';
import type { BenchSettings } from '../settings.ts';
import { writeQuietPending } from '../seed.ts';
import { drain, type Api, type BenchStack } from '../stack.ts';
import { round, sleep, summarize, type Summary } from '../stats.ts';

export interface ConfirmToCountReport {
  p50Ms: number;
  p99Ms: number;
  latency: Summary;
  signatures: number;
  targetPerSecond: number;
  achievedPerSecond: number;
  confirmed: number;
  confirmErrors: Record<string, number>;
  confirmRequest: Summary;
  pollIntervalMs: number;
  polls: number;
  pollRequest: Summary;
  finalCount: number;
  visibleBeforeAcknowledged: number;
  seedMs: number;
  cpu: CpuShare | undefined;
  note: string;
}

interface Observation {
  at: number;
  signatures: number;
}

/**
 * Confirms pending signatures at a steady rate through POST /confirm/{token} while a reader polls
 * GET /campaigns/{slug}/counts; the k-th acknowledged confirmation is visible once a poll shows ≥ k.
 */
export async function confirmToCount(stack: BenchStack, api: Api, dynamo: BenchDynamo, settings: BenchSettings['confirmToCount']): Promise<ConfirmToCountReport> {
  const slug = 'bench-confirm-latency';
  await api.openCampaign(slug, 'Benchmark: confirmation to count');
  const seedStarted = performance.now();
  const { tokens } = await writeQuietPending(dynamo, slug, settings.signatures, `latency-${Date.now().toString(36)}`);
  const seedMs = Math.round(performance.now() - seedStarted);
  // The mailer looks at each new pending signature (and finds its link already mailed) before we start.
  await drain(stack);
  const cpu = cpuWindow();

  const observations: Observation[] = [];
  const pollTimes: number[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const started = performance.now();
      try {
        const counts = await api.counts(slug);
        const at = performance.now();
        observations.push({ at, signatures: counts.signatures });
        pollTimes.push(at - started);
      } catch (error) {
        console.error('    counts poll failed:', (error as Error).message);
      }
      await sleep(Math.max(0, settings.pollMs - (performance.now() - started)));
    }
  })();

  const acknowledged: number[] = [];
  const confirmTimes: number[] = [];
  const errors: Record<string, number> = {};
  let inFlight = 0;
  const requests: Promise<void>[] = [];
  const interval = 1000 / settings.perSecond;
  const started = performance.now();
  for (let i = 0; i < tokens.length; i++) {
    const due = started + i * interval;
    while (performance.now() < due || inFlight >= settings.maxInFlight) await sleep(Math.max(1, Math.min(5, due - performance.now())));
    inFlight++;
    const sent = performance.now();
    requests.push(
      fetch(`${api.url}/confirm/${tokens[i]}`, { method: 'POST' })
        .then(async (response) => {
          await response.arrayBuffer();
          const at = performance.now();
          if (response.status === 200) {
            acknowledged.push(at);
            confirmTimes.push(at - sent);
          } else errors[String(response.status)] = (errors[String(response.status)] ?? 0) + 1;
        })
        .catch((error: unknown) => {
          const name = error instanceof Error ? error.name : 'error';
          errors[name] = (errors[name] ?? 0) + 1;
        })
        .finally(() => inFlight--),
    );
  }
  await Promise.all(requests);
  const sendingMs = performance.now() - started;
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline && (observations.at(-1)?.signatures ?? 0) < acknowledged.length) await sleep(20);
  polling = false;
  await poller;
  const cpuShare = cpu();

  acknowledged.sort((a, b) => a - b);
  const latencies: number[] = [];
  let early = 0;
  let o = 0;
  for (let k = 1; k <= acknowledged.length; k++) {
    while (o < observations.length && observations[o]!.signatures < k) o++;
    if (o >= observations.length) break;
    const latency = observations[o]!.at - acknowledged[k - 1]!;
    if (latency < 0) early++;
    latencies.push(Math.max(0, latency));
  }
  const latency = summarize(latencies);
  if (latencies.length < acknowledged.length) console.warn(`    only ${latencies.length} of ${acknowledged.length} confirmations became visible within 60 s`);
  console.log(`    confirm→count p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms over ${latencies.length} confirmations`);
  return {
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    latency,
    signatures: settings.signatures,
    targetPerSecond: settings.perSecond,
    achievedPerSecond: round((acknowledged.length / sendingMs) * 1000),
    confirmed: acknowledged.length,
    confirmErrors: errors,
    confirmRequest: summarize(confirmTimes),
    pollIntervalMs: settings.pollMs,
    polls: observations.length,
    pollRequest: summarize(pollTimes),
    finalCount: observations.at(-1)?.signatures ?? 0,
    visibleBeforeAcknowledged: early,
    seedMs,
    cpu: cpuShare,
    note:
      'Latency of the k-th acknowledged confirmation = arrival of the first counts poll showing ≥ k, minus the time its POST /confirm answered 200. ' +
      `Includes up to one poll interval (${settings.pollMs} ms) plus the counts request itself. Pending signatures and their (already mailed) links were written first with BatchWriteItem, so no confirmation mail is sent during the run.`,
  };
}
