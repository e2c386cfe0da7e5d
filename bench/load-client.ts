/**
 * The load generator for the sign benchmark, run in its own process (forked by sign-throughput.ts) so
 * autocannon does not share an event loop with the gateway and handlers it measures.
 */
import autocannon from 'autocannon';
import { edgeSecretHeader, viewerAddressHeader } from '#shared/http/viewer-address.ts';
import { serveJob } from './child.ts';
import { countryFor } from './countries.ts';

export interface LoadJob {
  url: string;
  path: string;
  connections: number;
  seconds: number;
  /** Every request signs with a fresh address: `${emailPrefix}-${n}@bench.example.org`. */
  emailPrefix: string;
  /**
   * The stack's edge secret: every request then comes as if through CloudFront, from a viewer address of its
   * own (`viewerAddress(firstViewer + n)`), as a surge of people does, so the per-IP limits count each signer once.
   */
  edgeSecret?: string;
  /**
   * Where this run's viewer addresses start: each run of a phase takes addresses no earlier run used, or its
   * signers would come back minutes later from addresses the limiter still holds (a returning address, not a new one).
   */
  firstViewer?: number;
}

/** The n-th signer's address, one per request: 11.0.0.1, 11.0.0.2, … (about 16 million apart). */
export function viewerAddress(n: number): string {
  const i = n + 1;
  return `11.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

export interface LoadResult {
  connections: number;
  durationS: number;
  sent: number;
  /** Viewer addresses this run handed out (a request set up but never sent still took one). */
  viewers: number;
  responses2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  rpsMean: number;
  latency: { p50: number; p90: number; p97_5: number; p99: number; max: number; mean: number };
}

async function run(job: LoadJob): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: job.path,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const i = n++;
          const viewer = job.edgeSecret ? { [edgeSecretHeader]: job.edgeSecret, [viewerAddressHeader]: `${viewerAddress((job.firstViewer ?? 0) + i)}:443` } : {};
          return {
            ...request,
            headers: { ...request.headers, ...viewer },
            body: JSON.stringify({ name: `Bench Signer ${i}`, email: `${job.emailPrefix}-${i}@bench.example.org`, country: countryFor(i) }),
          };
        },
      },
    ],
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]));
  return {
    connections: job.connections,
    durationS: result.duration,
    sent: result.requests.sent,
    viewers: n,
    responses2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    rpsMean: result.requests.average,
    latency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
  };
}

serveJob(run, (error) => String(error));
