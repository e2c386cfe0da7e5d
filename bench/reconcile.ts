/**
 * `node --import tsx bench/reconcile.ts [signatures] [uncounted]`: what one campaign's nightly reconciliation costs at size.
 * Seeds `signatures` counted signatures on one campaign (in the shape the counting write leaves them, spread
 * over the index shards) and `uncounted` confirmed ones the stream never counted, on a DynamoDB Local of its
 * own; then runs the unit of work the nightly job hands each campaign (functions/events/reconcile-campaign-
 * counts.ts: sweep the sparse index, recount, compare) and, for comparison, the whole-table scan it replaced.
 * Prints times and read units, and extrapolates them to 10 million signatures. Writes reports/reconcile.json.
 *
 * DynamoDB Local is one JVM on this machine, much slower per page than DynamoDB: its times bound AWS's from
 * above. Read units are computed the way DynamoDB bills a Query (bytes read, rounded up to 4 KB per page,
 * halved for eventually consistent reads), from the items' real sizes, since DynamoDB Local reports none.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { reconciliationDue } from '#events/reconciliation-due.ts';
import { ensureLimitsTable, ensureTable, localClient, startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { resetConfig } from '#shared/config.ts';
import { signatureStatus } from '#shared/domain/statuses.ts';
import { newId } from '#shared/ids.ts';
import { indexEntries, keys, partitions, signatureShards } from '#shared/store/layout.ts';
import { emailKey, personIndex } from '#shared/store/signature-store.ts';
import { BenchDynamo } from './dynamo.ts';
import { batchWriteAll, syntheticSigner } from './seed.ts';
import { round } from './stats.ts';

const signatures = Number(process.argv[2] ?? 200_000);
const uncounted = Number(process.argv[3] ?? 500);
const target = 10_000_000;
const slug = 'bench-reconcile';
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const dynamoLocal = await startDynamoDbLocal(undefined);
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: dynamoLocal.endpoint,
  TABLE_NAME: 'bench-reconcile',
  LIMITS_TABLE_NAME: 'bench-reconcile-limits',
  TOKEN_SECRET: 'bench-secret-for-reconciliation',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_METRICS_DISABLED: 'true',
});
resetConfig();
const client = localClient(dynamoLocal.endpoint);
await ensureTable(client, 'bench-reconcile');
await ensureLimitsTable(client, 'bench-reconcile-limits');
const dynamo = new BenchDynamo(dynamoLocal.endpoint, 'bench-reconcile');
// Imported after the environment is set: the handler's wrapper reads its configuration on load.
const { handler: reconcileCampaignCounts } = await import('#functions/events/reconcile-campaign-counts.ts');

try {
  // The campaign and its counter, agreeing with the counted signatures (as the stream would have left them).
  await dynamo.doc.send(
    new UpdateCommand({
      TableName: dynamo.tableName,
      Key: keys.campaign(slug),
      UpdateExpression: 'SET #type = :type, slug = :slug, #status = :open, kind = :kind, title = :title, createdAt = :at, updatedAt = :at',
      ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
      ExpressionAttributeValues: { ':type': 'campaign', ':slug': slug, ':open': 'open', ':kind': 'petition', ':title': 'Benchmark: reconciliation', ':at': new Date().toISOString() },
    }),
  );
  await dynamo.doc.send(
    new UpdateCommand({ TableName: dynamo.tableName, Key: keys.counter(slug), UpdateExpression: 'SET signatures = :n, endorsements = :zero, byCountry = :none', ExpressionAttributeValues: { ':n': 0, ':zero': 0, ':none': {} } }),
  );

  const base = Date.now() - 2 * 86_400_000;
  const byCountry: Record<string, number> = {};
  const signature = (i: number) => {
    const signer = syntheticSigner(i, 'rc');
    const key = keys.signature(slug, emailKey(signer.email));
    const id = newId();
    const confirmedAt = new Date(base + i * 5).toISOString();
    const counted = i < signatures;
    if (counted) byCountry[signer.country] = (byCountry[signer.country] ?? 0) + 1;
    return {
      ...key,
      type: 'signature',
      id,
      campaign: slug,
      ...signer,
      public: i % 2 === 0,
      subscribe: false,
      status: signatureStatus.confirmed,
      linkRequests: 1,
      createdAt: confirmedAt,
      ...personIndex(key.pk, signer.email),
      confirmedAt,
      ...(counted
        ? { countedAt: confirmedAt, ...indexEntries.countedSignature(slug, confirmedAt, id), ...(i % 2 === 0 ? indexEntries.publicSignature(slug, confirmedAt, id) : {}) }
        : indexEntries.uncountedSignature(slug, confirmedAt, key.pk)),
    };
  };
  const seedStarted = performance.now();
  await batchWriteAll(dynamo, signatures + uncounted, signature, 16);
  const seedMs = performance.now() - seedStarted;
  await dynamo.doc.send(
    new UpdateCommand({ TableName: dynamo.tableName, Key: keys.counter(slug), UpdateExpression: 'SET signatures = :n, byCountry = :c', ExpressionAttributeValues: { ':n': signatures, ':c': byCountry } }),
  );
  console.log(`seeded ${signatures} counted + ${uncounted} uncounted signatures in ${round(seedMs / 1000)} s`);

  // What each index holds per item, for read units: DynamoDB bills a Query by the bytes of the items it reads.
  const exportEntryBytes = await meanItemBytes('gsi2', partitions.countedSignatures(slug, 0));
  const uncountedEntryBytes = await meanItemBytes('gsi4', partitions.uncountedSignatures(slug, 0));

  // The whole-table scan the nightly job used to run (4 segments, the same filter), for comparison.
  const scanStarted = performance.now();
  const scan = await fullScan();
  const scanMs = performance.now() - scanStarted;
  console.log(`whole-table scan (replaced): ${round(scanMs / 1000)} s, ${scan.items} items read, ${scan.found} uncounted found, ~${Math.round(scan.readUnits)} read units`);

  // The campaign's unit of work, as the nightly job's event delivers it.
  const event = { source: 'tadamon', 'detail-type': reconciliationDue, detail: { slug, sweepBefore: new Date().toISOString() } } as EventBridgeEvent<string, unknown>;
  const started = performance.now();
  const result = (await reconcileCampaignCounts(event)) as { swept: { found: number; counted: number; failed: number }; reconciled: { drift: number; recount: { signatures: number } } };
  const unitMs = performance.now() - started;
  // The recount alone, once more (the sweep found nothing left): the part that grows with the campaign.
  const { recountCampaign } = await import('#shared/store/reconciliation.ts');
  const recountStarted = performance.now();
  await recountCampaign(slug);
  const recountMs = performance.now() - recountStarted;
  const sweepStarted = performance.now();
  const { sweepUncounted } = await import('#shared/store/uncounted-sweep.ts');
  await sweepUncounted(slug, new Date().toISOString());
  const emptySweepMs = performance.now() - sweepStarted;
  console.log(`recount alone: ${round(recountMs / 1000)} s; a sweep of the emptied index: ${round(emptySweepMs)} ms`);
  const sweepReadUnits = readUnits(uncounted, uncountedEntryBytes, signatureShards);
  // The recount reads every export-index entry once, whole (a projection does not lower the bill); at least one
  // recount, two when it has to settle a moving counter.
  const recountReadUnits = readUnits(signatures + uncounted, exportEntryBytes, signatureShards + 1);
  console.log(`campaign unit of work: ${round(unitMs / 1000)} s; swept ${JSON.stringify(result.swept)}; recount ${result.reconciled.recount.signatures}, drift ${result.reconciled.drift}`);

  const scale = target / signatures;
  const report = {
    signatures,
    uncounted,
    shards: signatureShards,
    seed: { seconds: round(seedMs / 1000) },
    entryBytes: { export: Math.round(exportEntryBytes), uncounted: Math.round(uncountedEntryBytes) },
    replacedScan: { seconds: round(scanMs / 1000), itemsRead: scan.items, readUnits: Math.round(scan.readUnits) },
    unitOfWork: { seconds: round(unitMs / 1000), recountSeconds: round(recountMs / 1000), emptySweepMs: round(emptySweepMs), swept: result.swept, drift: result.reconciled.drift, sweepReadUnits: Math.round(sweepReadUnits), recountReadUnits: Math.round(recountReadUnits) },
    extrapolated: {
      signatures: target,
      localSeconds: round((unitMs / 1000) * scale),
      localRecountSeconds: round((recountMs / 1000) * scale),
      recountReadUnits: Math.round(recountReadUnits * scale),
      replacedScanReadUnits: Math.round(scan.readUnits * scale),
      // Per shard, what one query partition serves: the recount's shards run in parallel.
      perShardItems: Math.round(target / signatureShards),
    },
  };
  console.log(JSON.stringify(report, null, 2));
  mkdirSync(path.join(repoRoot, 'reports'), { recursive: true });
  writeFileSync(path.join(repoRoot, 'reports', 'reconcile.json'), `${JSON.stringify(report, null, 2)}\n`);
} finally {
  dynamo.destroy();
  client.destroy();
  await dynamoLocal.stop();
}

/** Eventually consistent Query read units for `items` of `bytes` each, read in 1 MB pages from `partitions`. */
function readUnits(items: number, bytes: number, partitionCount: number): number {
  const pageItems = Math.max(1, Math.floor(1_048_576 / bytes));
  const perPartition = Math.ceil(items / partitionCount);
  const fullPages = Math.floor(perPartition / pageItems);
  const rest = perPartition - fullPages * pageItems;
  const unitsPerPartition = fullPages * Math.ceil((pageItems * bytes) / 4096) + Math.ceil((rest * bytes) / 4096);
  return (unitsPerPartition * partitionCount) / 2;
}

/** DynamoDB's item size: attribute names and values, as UTF-8 (numbers approximated by their digits). */
async function meanItemBytes(index: string, partition: string): Promise<number> {
  const page = await dynamo.doc.send(
    new QueryCommand({ TableName: dynamo.tableName, IndexName: index, KeyConditionExpression: `${index}pk = :pk`, ExpressionAttributeValues: { ':pk': partition }, Limit: 200 }),
  );
  const items = page.Items ?? [];
  const size = (value: unknown): number =>
    typeof value === 'string' ? Buffer.byteLength(value) : typeof value === 'number' ? String(value).length : typeof value === 'boolean' ? 1 : JSON.stringify(value ?? null).length;
  const bytes = items.map((item) => Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + size(value), 0));
  return bytes.length ? bytes.reduce((a, b) => a + b, 0) / bytes.length : 0;
}

/** The replaced sweep: every item of the table read (a filter does not lower the bill), four segments at once. */
async function fullScan(): Promise<{ items: number; found: number; readUnits: number }> {
  const totals = { items: 0, found: 0, readUnits: 0 };
  await Promise.all(
    Array.from({ length: 4 }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await dynamo.doc.send(
          new ScanCommand({
            TableName: dynamo.tableName,
            Segment: segment,
            TotalSegments: 4,
            ExclusiveStartKey: start,
            FilterExpression: 'attribute_not_exists(countedAt) AND #type = :signature AND #status = :confirmed',
            ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
            ExpressionAttributeValues: { ':signature': 'signature', ':confirmed': signatureStatus.confirmed },
          }),
        );
        totals.items += page.ScannedCount ?? 0;
        totals.found += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  // Base-table items are the export entries' size plus nothing the index leaves out (ALL projection).
  totals.readUnits = readUnits(totals.items, await meanItemBytes('gsi2', partitions.countedSignatures(slug, 1)), 1);
  return totals;
}
