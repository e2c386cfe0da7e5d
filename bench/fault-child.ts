/**
 * The drift benchmark's own process: a fresh stack with stream faults injected. It runs apart from the
 * main stack because the handlers' AWS clients (DynamoDB, SES, EventBridge) are per-process singletons
 * that keep the first endpoints they saw; a second stack in the same process would talk to the first one's.
 */
import type { StreamFaults } from '#infra/local/faults.ts';
import { confirmSignature } from '#shared/store/signature-store.ts';
import { serveJob } from './child.ts';
import { BenchDynamo } from './dynamo.ts';
import { recordPending } from './seed.ts';
import { Api, drain, startBenchStack } from './stack.ts';
import { mapPool, sleep } from './stats.ts';

export interface DriftJob {
  signatures: number;
  concurrency: number;
  faults: StreamFaults;
}

export interface DriftResult {
  drift: number;
  signatures: number;
  confirmed: number;
  finalCount: number;
  items: { total: number; pending: number; confirmed: number; counted: number };
  markersMinusCount: number;
  /** From the first confirmation until the count first showed every confirmation. */
  countReachedMs: number | null;
  /** Until the stack had nothing under way (stream consumers, mails, bus). */
  settleMs: number;
  /** The count read after settling minus the one that had held still before: must be 0. */
  movedAfterSettling: number;
  countHistory: { atMs: number; signatures: number }[];
  deadLetters: { consumer: string; batchSize: number; attempts: number; error: string }[];
  deadLettersByConsumer: Record<string, number>;
  failedEventDeliveries: number;
  confirmationMails: number | undefined;
  stackStartMs: number;
  faults: StreamFaults;
}

async function run(job: DriftJob): Promise<DriftResult> {
  const stack = await startBenchStack(job.faults);
  const dynamo = new BenchDynamo();
  try {
    const api = new Api(stack);
    const slug = 'bench-drift';
    await api.openCampaign(slug, 'Benchmark: drift under stream faults');
    const pending = await recordPending(slug, job.signatures, `drift-${Date.now().toString(36)}`, job.concurrency);
    let confirmed = 0;
    const started = performance.now();
    await mapPool(pending, job.concurrency, async ({ key }) => {
      if ((await confirmSignature(key)) === 'confirmed') confirmed++;
    });
    // Poll the count until it has reached the confirmations and stayed put for 3 s (or stalled for 30 s),
    // then wait for the whole stack to settle (the mails under faults take longest) and read it again.
    const history: { atMs: number; signatures: number }[] = [];
    let last = -1;
    let stableSince = performance.now();
    let countReachedMs: number | null = null;
    const deadline = performance.now() + 240_000;
    while (performance.now() < deadline) {
      const signatures = (await api.counts(slug)).signatures;
      const now = performance.now();
      if (signatures !== last) {
        history.push({ atMs: Math.round(now - started), signatures });
        last = signatures;
        stableSince = now;
        if (signatures >= confirmed && countReachedMs === null) countReachedMs = Math.round(now - started);
      } else if ((signatures >= confirmed && now - stableSince >= 3000) || now - stableSince >= 30_000) break;
      await sleep(250);
    }
    await drain(stack, { quietMs: 1500, timeoutMs: 180_000 });
    const settleMs = Math.round(performance.now() - started);
    const finalCount = (await api.counts(slug)).signatures;
    const items = await dynamo.signatureItems(slug);
    const letters = stack.deadLetters();
    const byConsumer: Record<string, number> = {};
    for (const letter of letters) byConsumer[letter.consumer] = (byConsumer[letter.consumer] ?? 0) + letter.batchSize;
    return {
      drift: finalCount - confirmed,
      signatures: job.signatures,
      confirmed,
      finalCount,
      items,
      markersMinusCount: items.counted - finalCount,
      countReachedMs,
      settleMs,
      movedAfterSettling: finalCount - last,
      countHistory: history,
      deadLetters: letters.map((l) => ({ consumer: l.consumer, batchSize: l.batchSize, attempts: l.attempts, error: l.error })),
      deadLettersByConsumer: byConsumer,
      failedEventDeliveries: stack.failedDeliveries().length,
      confirmationMails: await api.inboxCount(),
      stackStartMs: stack.startMs,
      faults: job.faults,
    };
  } finally {
    dynamo.destroy();
    await stack.stop();
  }
}

serveJob(run, (error) => (error instanceof Error ? (error.stack ?? error.message) : String(error)));
