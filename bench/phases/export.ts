import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createGunzip } from 'node:zlib';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '#shared/ids.ts';
import { emailKey, personIndex } from '#shared/store/signature-store.ts';
import { indexEntries, keys } from '#shared/store/layout.ts';
import { signatureStatus } from '#shared/domain/statuses.ts';
import { cpuWindow, type CpuShare } from '../cpu.ts';
import type { BenchDynamo } from '../dynamo.ts';
import type { BenchSettings } from '../settings.ts';
import { batchWriteAll, syntheticSigner } from '../seed.ts';
import { drain, type Api, type BenchStack } from '../stack.ts';
import { round, sleep } from '../stats.ts';

export interface ExportReport {
  rows: number;
  ms: number;
  peakRssDeltaMb: number;
  peakHeapDeltaMb: number;
  bytes: number;
  csvBytes: number;
  status: number;
  headerRowCount: number;
  timeToFirstByteMs: number;
  baseline: { rssMb: number; heapUsedMb: number };
  peak: { rssMb: number; heapUsedMb: number; externalMb: number; arrayBuffersMb: number };
  samples: number;
  cpu: CpuShare | undefined;
  /** The same export through `?rows=` parts, following the Link header. */
  inParts: { partRows: number; parts: number; rows: number; ms: number; status: number };
  /** The start of the body when the answer was not 200 (a problem document). */
  errorBody?: string;

  seed: { rows: number; ms: number; itemsPerSecond: number; unprocessedRetries: number; streamCatchUpMs: number; cpu: CpuShare | undefined };
  note: string;
}

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

/** `gc()` made reachable without a command-line flag, for a steady memory baseline. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
}

/**
 * Seeds confirmed, counted signatures in their final shape (BatchWriteItem, as the counter aggregator
 * leaves them), then times the operator export and samples this process's memory while it runs.
 */
export async function exportSignatures(stack: BenchStack, api: Api, dynamo: BenchDynamo, settings: BenchSettings['export']): Promise<ExportReport> {
  const slug = 'bench-export';
  await api.openCampaign(slug, 'Benchmark: export');
  const seedCpu = cpuWindow();
  const seedStarted = performance.now();
  const run = (Date.now() % 1296).toString(36);
  const base = Date.now() - settings.rows * 10;
  const retries = await batchWriteAll(
    dynamo,
    settings.rows,
    (i) => {
      const signer = syntheticSigner(i, run);
      const key = keys.signature(slug, emailKey(signer.email));
      const id = newId();
      const createdAt = new Date(base + i * 10).toISOString();
      const confirmedAt = new Date(base + i * 10 + 5).toISOString();
      return {
        ...key,
        type: 'signature',
        id,
        campaign: slug,
        ...signer,
        public: false,
        subscribe: false,
        status: signatureStatus.confirmed,
        linkRequests: 1,
        createdAt,
        ...personIndex(key.pk, signer.email),
        confirmedAt,
        countedAt: confirmedAt,
        ...indexEntries.countedSignature(slug, confirmedAt, id),
      };
    },
    settings.parallelBatches,
  );
  // The counter agrees with the seeded signatures, as if the aggregator had counted them.
  await dynamo.doc.send(
    new UpdateCommand({ TableName: dynamo.tableName, Key: keys.counter(slug), UpdateExpression: 'ADD signatures :n', ExpressionAttributeValues: { ':n': settings.rows } }),
  );
  const seedMs = Math.round(performance.now() - seedStarted);
  const seedShare = seedCpu();
  console.log(`    seeded ${settings.rows} confirmed signatures in ${seedMs} ms`);
  // The stream consumers read (and filter out) every seeded record; let them catch up before measuring.
  const caughtUp = await drain(stack, { quietMs: 2000 });
  await api.clearInbox();

  collectGarbage();
  await sleep(200);
  const baselineSamples: NodeJS.MemoryUsage[] = [];
  for (let i = 0; i < 10; i++) {
    baselineSamples.push(process.memoryUsage());
    await sleep(settings.sampleMs);
  }
  const baseline = {
    rss: Math.max(...baselineSamples.map((s) => s.rss)),
    heapUsed: Math.max(...baselineSamples.map((s) => s.heapUsed)),
  };
  const peak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.external = Math.max(peak.external, m.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
    samples++;
  };
  const sampler = setInterval(sample, settings.sampleMs);
  const exportCpu = cpuWindow();

  const started = performance.now();
  const answer = await download(api, stack, `/admin/campaigns/${slug}/signatures.csv`, started);
  const ms = Math.round(performance.now() - started);
  clearInterval(sampler);
  sample();
  const exportShare = exportCpu();
  const rows = answer.status === 200 ? Math.max(0, answer.lines - 1) : 0;
  console.log(`    export: ${answer.status}, ${rows} rows, ${answer.bytes} bytes gzip (${answer.csvBytes} CSV) in ${ms} ms; peak RSS +${mb(peak.rss - baseline.rss)} MB`);

  // The same signatures again in parts, as `tadamon export` asks for them: the way past one response's limit.
  const partsStarted = performance.now();
  let partRows = 0;
  let parts = 0;
  let partStatus = 200;
  for (let next: string | undefined = `/admin/campaigns/${slug}/signatures.csv?rows=${settings.partRows}`; next && partStatus === 200; parts++) {
    const part = await download(api, stack, next, performance.now());
    partStatus = part.status;
    partRows += Math.max(0, part.lines - 1);
    next = part.next;
  }
  const partsMs = Math.round(performance.now() - partsStarted);
  console.log(`    export in parts of ${settings.partRows}: ${partStatus}, ${partRows} rows in ${parts} parts, ${partsMs} ms`);
  return {
    rows,
    ms,
    peakRssDeltaMb: mb(Math.max(0, peak.rss - baseline.rss)),
    peakHeapDeltaMb: mb(Math.max(0, peak.heapUsed - baseline.heapUsed)),
    bytes: answer.bytes,
    csvBytes: answer.csvBytes,
    status: answer.status,
    headerRowCount: answer.headerRowCount,
    timeToFirstByteMs: round(answer.ttfbMs),
    baseline: { rssMb: mb(baseline.rss), heapUsedMb: mb(baseline.heapUsed) },
    peak: { rssMb: mb(peak.rss), heapUsedMb: mb(peak.heapUsed), externalMb: mb(peak.external), arrayBuffersMb: mb(peak.arrayBuffers) },
    samples,
    cpu: exportShare,
    inParts: { partRows: settings.partRows, parts, rows: partRows, ms: partsMs, status: partStatus },
    ...(answer.status === 200 ? {} : { errorBody: answer.head.slice(0, 400) }),
    seed: { rows: settings.rows, ms: seedMs, itemsPerSecond: round((settings.rows / seedMs) * 1000), unprocessedRetries: retries, streamCatchUpMs: caughtUp.ms, cpu: seedShare },
    note:
      'Signers are synthetic but varied (names from lists, addresses with random tags, mixed domains), so the gzip ratio is near that of real data. ' +
      `Seeded with BatchWriteItem (${settings.batchSize} items, ${settings.parallelBatches} batches at a time) in the shape the aggregator leaves, counter set to match. ` +
      `Memory is this process's (gateway + handler + the streaming client, which counts bytes and never holds the body), sampled every ${settings.sampleMs} ms, against a post-GC baseline; DynamoDB Local's JVM is not included. ` +
      'bytes = the gzip body on the wire; csvBytes = after gunzip.',
  };
}

interface Download {
  status: number;
  bytes: number;
  csvBytes: number;
  lines: number;
  headerRowCount: number;
  ttfbMs: number;
  head: string;
  /** The next part's path, from the Link header. */
  next: string | undefined;
}

/** GETs an export (or part) as a client would, gunzipping and counting lines without holding the body. */
function download(api: Api, stack: BenchStack, pathAndQuery: string, started: number): Promise<Download> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${api.url}${pathAndQuery}`, { headers: { authorization: `Bearer ${stack.adminToken}`, 'accept-encoding': 'gzip' } }, (response) => {
      const ttfbMs = performance.now() - started;
      let bytes = 0;
      let csvBytes = 0;
      let lines = 0;
      let head = '';
      const gzipped = response.headers['content-encoding'] === 'gzip';
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      const text = gzipped ? response.pipe(createGunzip()) : response;
      text.on('data', (chunk: Buffer) => {
        csvBytes += chunk.length;
        if (head.length < 400) head += chunk.toString('utf8', 0, Math.min(chunk.length, 400));
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      const link = String(response.headers.link ?? '');
      text.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          bytes,
          csvBytes,
          lines,
          headerRowCount: Number(response.headers['x-row-count'] ?? -1),
          ttfbMs,
          head,
          next: /^<([^>]+)>;\s*rel="next"/.exec(link)?.[1],
        }),
      );
      text.on('error', reject);
    });
    request.on('error', reject);
  });
}
