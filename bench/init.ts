/**
 * Cold start: each function's module init, measured by importing its built bundle (bench/bundles.ts, the
 * stack's own esbuild options) in a fresh Node process, the median of 5 per function. A function given
 * secrets in the manifest gets their ARNs, and Secrets Manager is a local stand-in answering at once, so a
 * read at module scope shows in the figure as the round trip and the client's set-up it costs there.
 * `node --import tsx bench/init.ts` prints the figures and merges `init` (and `bundles`) into
 * bench-results/report.json.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { manifest } from '#infra/manifest.ts';
import { secretArnVariables } from '#infra/stack/tadamon-function.ts';
import { buildBundles, type BundlesReport } from './bundles.ts';
import { round } from './stats.ts';

const run = promisify(execFile);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export interface InitReport {
  maxMs: number;
  byFunction: Record<string, number>;
  /** Every run's figure, for the spread. */
  runsMs: Record<string, number[]>;
  /** The median CPU time of the same runs (user + system), which a busy machine inflates far less. */
  cpuMsByFunction: Record<string, number>;
  node: string;
  failed: Record<string, string>;
}

/**
 * Imports the bundle and prints how long the import took (module scope, top-level awaits included) and the CPU
 * time it used: on a machine others share, the wall clock measures the queue for a core as much as the init.
 */
const probe = `const t = performance.now(); const c = process.cpuUsage(); await import(process.argv[1]); const u = process.cpuUsage(c); process.stdout.write(JSON.stringify([performance.now() - t, (u.user + u.system) / 1000]));`;

/** A Secrets Manager that knows every secret: GetSecretValue answers a fixed, long-enough string. */
async function secretsStandIn(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench', Name: 'bench', SecretString: 'bench-secret-0123456789abcdef' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function measureInit(bundles: BundlesReport, runs = 5): Promise<InitReport> {
  const secrets = await secretsStandIn();
  const runsMs: Record<string, number[]> = {};
  const cpuMs: Record<string, number[]> = {};
  const failed: Record<string, string> = {};
  try {
    for (const bundle of bundles.detail) {
      const spec = manifest.find((s) => s.name === bundle.name);
      const env = {
        PATH: process.env.PATH ?? '',
        // What Lambda sets, less the function name (which would make the code insist on real secrets).
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_SESSION_TOKEN: 'bench',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
        NODE_OPTIONS: '--enable-source-maps',
        ...Object.fromEntries((spec?.secrets ?? []).map((name) => [secretArnVariables[name], `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}`])),
      };
      const times: number[] = [];
      const cpu: number[] = [];
      try {
        // One after another: a cold start is measured alone, not against the others.
        for (let i = 0; i < runs; i++) {
          const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe, bundle.file], { env, timeout: 30_000 });
          const [wall, used] = JSON.parse(stdout) as [number, number];
          times.push(round(wall, 1));
          cpu.push(round(used, 1));
        }
        runsMs[bundle.name] = times;
        cpuMs[bundle.name] = cpu;
      } catch (error) {
        failed[bundle.name] = error instanceof Error ? error.message.split('\n').slice(0, 4).join(' ') : String(error);
      }
    }
  } finally {
    await secrets.close();
  }
  const byFunction = Object.fromEntries(Object.entries(runsMs).map(([name, times]) => [name, round(median(times), 1)]));
  const cpuMsByFunction = Object.fromEntries(Object.entries(cpuMs).map(([name, times]) => [name, round(median(times), 1)]));
  return { maxMs: Math.max(...Object.values(byFunction)), byFunction, runsMs, cpuMsByFunction, node: process.version, failed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mergeIntoReport } = await import('./report-file.ts');
  const bundles = await buildBundles();
  const init = await measureInit(bundles);
  for (const [name, ms] of Object.entries(init.byFunction).sort((a, b) => b[1] - a[1])) {
    console.log(`${name.padEnd(32)} ${String(ms).padStart(7)} ms   cpu ${String(init.cpuMsByFunction[name]).padStart(6)} ms   (${init.runsMs[name]!.join(', ')})   ${bundles.byFunction[name]} KB`);
  }
  for (const [name, message] of Object.entries({ ...bundles.failed, ...init.failed })) console.log(`${name.padEnd(32)} failed: ${message}`);
  console.log(`slowest init ${init.maxMs} ms (Node ${init.node}); largest bundle ${bundles.maxKb} KB`);
  const maxCpuMs = Math.max(...Object.values(init.cpuMsByFunction));
  console.log(`slowest init by CPU time ${maxCpuMs} ms; load average ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}`);
  mergeIntoReport({
    bundles: { maxKb: bundles.maxKb, byFunction: bundles.byFunction },
    init: { maxMs: init.maxMs, byFunction: init.byFunction, maxCpuMs, cpuMsByFunction: init.cpuMsByFunction },
  });
}
