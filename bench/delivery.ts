/**
 * `npm run bench:delivery`: the delivery document (GET /admin/campaigns/{slug}/delivery.pdf) of a campaign of
 * 100,000 confirmed, public signatures (`BENCH_QUICK=1`: 10,000): every part, as the function builds it, timed
 * with this process's peak memory, plus the first part over HTTP through the local runtime. Merged into an
 * existing bench-results/report.json (as `delivery`) and report.md, as bench:fanout is.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { deliveryPart, partBudget } from '#shared/delivery/delivery-part.ts';
import { signatureStatus } from '#shared/domain/statuses.ts';
import { newId } from '#shared/ids.ts';
import { indexEntries, keys } from '#shared/store/layout.ts';
import { emailKey, personIndex } from '#shared/store/signature-store.ts';
import { BenchDynamo } from './dynamo.ts';
import { batchWriteAll, syntheticSigner } from './seed.ts';
import { Api, drain, startBenchStack } from './stack.ts';
import { round } from './stats.ts';

export interface DeliveryBenchReport {
  signatures: number;
  parts: Array<{ names: number; ms: number; bytes: number }>;
  totalMs: number;
  totalBytes: number;
  /** The largest part against Lambda's 6 MB response, once base64-encoded. */
  largestPartBase64Mb: number;
  peakRssDeltaMb: number;
  peakHeapDeltaMb: number;
  http: { status: number; ms: number; bytes: number; names: number; next: boolean };
  seedMs: number;
  budget: typeof partBudget;
}

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
const quick = process.env.BENCH_QUICK === '1';
const signatures = Number(process.env.BENCH_DELIVERY_ROWS ?? (quick ? 10_000 : 100_000));

const outDir = path.join(import.meta.dirname, '..', 'bench-results');
const jsonFile = path.join(outDir, 'report.json');
const mdFile = path.join(outDir, 'report.md');

const stack = await startBenchStack();
const api = new Api(stack);
const dynamo = new BenchDynamo();
try {
  const slug = 'bench-delivery';
  await api.openCampaign(slug, 'Benchmark: delivery');
  const seedStarted = performance.now();
  const run = (Date.now() % 1296).toString(36);
  const base = Date.now() - signatures * 10;
  await batchWriteAll(
    dynamo,
    signatures,
    (i) => {
      const signer = syntheticSigner(i, run);
      const key = keys.signature(slug, emailKey(signer.email));
      const id = newId();
      const confirmedAt = new Date(base + i * 10 + 5).toISOString();
      // In their final shape, as counting leaves them: in the export index and (public) the public list.
      return {
        ...key,
        type: 'signature',
        id,
        campaign: slug,
        ...signer,
        public: true,
        subscribe: false,
        status: signatureStatus.confirmed,
        linkRequests: 1,
        createdAt: confirmedAt,
        ...personIndex(key.pk, signer.email),
        confirmedAt,
        countedAt: confirmedAt,
        ...indexEntries.countedSignature(slug, confirmedAt, id),
        ...indexEntries.publicSignature(slug, confirmedAt, id),
      };
    },
    16,
  );
  await dynamo.doc.send(
    new UpdateCommand({ TableName: dynamo.tableName, Key: keys.counter(slug), UpdateExpression: 'ADD signatures :n', ExpressionAttributeValues: { ':n': signatures } }),
  );
  const seedMs = Math.round(performance.now() - seedStarted);
  console.log(`seeded ${signatures} public signatures in ${seedMs} ms`);
  await drain(stack, { quietMs: 2000 });

  // The first part over HTTP, as an operator (or `tadamon deliver`) gets it.
  const httpStarted = performance.now();
  const response = await api.operator('GET', `/admin/campaigns/${slug}/delivery.pdf`);
  const body = Buffer.from(await response.arrayBuffer());
  const http = {
    status: response.status,
    ms: Math.round(performance.now() - httpStarted),
    bytes: body.length,
    names: Number(response.headers.get('x-name-count') ?? 0),
    next: response.headers.has('x-next-cursor'),
  };

  // Every part in this process, the function's own code, with memory sampled while it runs.
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  const baseline = process.memoryUsage();
  const peak = { rss: baseline.rss, heapUsed: baseline.heapUsed };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  }, 20);
  const parts: DeliveryBenchReport['parts'] = [];
  const started = performance.now();
  let cursor: string | undefined;
  let from = 1;
  do {
    const partStarted = performance.now();
    const part = await deliveryPart(slug, { names: 'public', cursor, from, at: new Date() });
    parts.push({ names: part.names, ms: Math.round(performance.now() - partStarted), bytes: part.pdf.length });
    console.log(`part ${parts.length}: ${part.names} names, ${mb(part.pdf.length)} MB, ${parts.at(-1)!.ms} ms`);
    from += part.names;
    cursor = part.nextCursor;
  } while (cursor);
  clearInterval(sampler);
  const report: DeliveryBenchReport = {
    signatures,
    parts,
    totalMs: Math.round(performance.now() - started),
    totalBytes: parts.reduce((sum, part) => sum + part.bytes, 0),
    largestPartBase64Mb: mb((Math.max(...parts.map((part) => part.bytes)) * 4) / 3),
    peakRssDeltaMb: mb(peak.rss - baseline.rss),
    peakHeapDeltaMb: mb(peak.heapUsed - baseline.heapUsed),
    http,
    seedMs,
    budget: partBudget,
  };
  console.log(JSON.stringify(report));
  if (existsSync(jsonFile)) {
    const earlier = JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(jsonFile, `${JSON.stringify({ ...earlier, delivery: report }, null, 2)}\n`);
  } else {
    writeFileSync(jsonFile, `${JSON.stringify({ delivery: report }, null, 2)}\n`);
  }
  const markdown = existsSync(mdFile) ? readFileSync(mdFile, 'utf8') : '';
  const at = markdown.indexOf('\n## Delivery document');
  writeFileSync(mdFile, (at >= 0 ? markdown.slice(0, at) : markdown) + deliveryMarkdown(report));
} finally {
  dynamo.destroy();
  await stack.stop();
}

function deliveryMarkdown(r: DeliveryBenchReport): string {
  const names = r.parts.map((part) => part.names).join(' + ');
  return `
## Delivery document

The delivery PDF of ${r.signatures.toLocaleString('en')} public signatures: ${r.parts.length} part(s) of ${names} names, ${mb(r.totalBytes)} MB in all, built in ${round(r.totalMs / 1000, 1)} s
(per part: ${r.parts.map((part) => `${round(part.ms / 1000, 1)} s`).join(', ')}). Largest part base64-encoded: ${r.largestPartBase64Mb} MB (Lambda's synchronous response: 6 MB).
Peak memory over the baseline while building: RSS +${r.peakRssDeltaMb} MB, heap +${r.peakHeapDeltaMb} MB.
First part over HTTP (local runtime): ${r.http.status}, ${r.http.names} names, ${mb(r.http.bytes)} MB in ${round(r.http.ms / 1000, 1)} s${r.http.next ? ', with a Link to the next' : ''}.
`;
}
