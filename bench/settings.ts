import type { StreamFaults } from '#infra/local/faults.ts';

/** Everything that sizes a run. `BENCH_QUICK=1` shrinks it to a try-out that takes about a minute. */
export interface BenchSettings {
  quick: boolean;
  sign: { warmupSeconds: number; seconds: number; levels: number[] };
  confirmToCount: { signatures: number; perSecond: number; pollMs: number; maxInFlight: number };
  burst: { signatures: number; concurrency: number };
  drift: { signatures: number; concurrency: number; faults: StreamFaults };
  export: { rows: number; batchSize: number; parallelBatches: number; sampleMs: number; partRows: number };
  fanout: { subscribers: number; capPerSecond: number; killAt: number };
  /** An urgent call through the mail queues under the account-wide pace, with links asked for meanwhile. */
  pacedMail: { subscribers: number; capPerSecond: number; signEveryMs: number };
  /** Requests timed per path (new, waiting, confirmed address × sign, subscribe). */
  timingPerPath: number;
  /** The stats of a campaign of `signatures` confirmed over `days` days, each route read `requests` times. */
  statsRead: { signatures: number; days: number; requests: number };
}

export function benchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const quick = env.BENCH_QUICK === '1';
  return {
    quick,
    sign: { warmupSeconds: quick ? 1 : 4, seconds: quick ? 2 : 10, levels: [16, 64] },
    confirmToCount: { signatures: quick ? 400 : 2000, perSecond: 100, pollMs: 50, maxInFlight: 64 },
    burst: { signatures: quick ? 1000 : 10_000, concurrency: 32 },
    drift: { signatures: quick ? 500 : 3000, concurrency: 32, faults: { failBefore: 0.1, failAfter: 0.1, duplicate: 0.2 } },
    export: { rows: quick ? 5000 : 100_000, batchSize: 25, parallelBatches: 16, sampleMs: 20, partRows: quick ? 2000 : 50_000 },
    fanout: { subscribers: quick ? 1000 : 10_000, capPerSecond: Number(env.BENCH_FANOUT_CAP ?? 100), killAt: 0.4 },
    pacedMail: { subscribers: quick ? 1000 : 5000, capPerSecond: Number(env.BENCH_PACED_CAP ?? 50), signEveryMs: 400 },
    timingPerPath: quick ? 50 : 200,
    // The campaign's size costs nothing to seed (only the items counting leaves are written): 100,000 in both modes.
    statsRead: { signatures: 100_000, days: quick ? 90 : 365, requests: quick ? 30 : 100 },
  };
}
