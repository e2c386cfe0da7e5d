/**
 * How long the operator's subscriber summary and export take for a list of a given size: the handlers run in
 * this process against a DynamoDB Local of their own, as the local runtime runs them. `SUBSCRIBERS` (default
 * 20000) confirmed subscribers are seeded in their stored shape first. The summary is read twice: confirmed
 * only, through the index, and every status (`statuses=all`), a Scan of the whole table. The table holds
 * subscribers only, so the Scan reads no other item here: on a real table it also reads (and pays for) every
 * signature, campaign and delivery.
 *
 *   node --import tsx bench/subscriber-reports.ts            # or SUBSCRIBERS=50000 …
 */
import { gunzipSync } from 'node:zlib';
import { ensureLimitsTable, ensureTable, localClient, startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { httpEvent } from '#test/support/http-event.ts';
import { BenchDynamo } from './dynamo.ts';
import { seedSubscribers } from './seed.ts';
import { round } from './stats.ts';

const count = Number(process.env.SUBSCRIBERS ?? 20_000);
const dynamoDb = await startDynamoDbLocal(undefined);
try {
  const tableName = 'bench-subscribers';
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
    TABLE_NAME: tableName,
    LIMITS_TABLE_NAME: `${tableName}-limits`,
    ADMIN_TOKEN: 'bench-operator-token',
    CURSOR_SECRET: 'bench-cursor-secret-0123456789',
    TOKEN_SECRET: 'bench-token-secret-0123456789',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  await ensureTable(localClient(dynamoDb.endpoint), tableName);
  await ensureLimitsTable(localClient(dynamoDb.endpoint), `${tableName}-limits`);
  const dynamo = new BenchDynamo(dynamoDb.endpoint, tableName);
  const seedStarted = performance.now();
  await seedSubscribers(dynamo, count, 'bench');
  const seedMs = performance.now() - seedStarted;

  const { handler: summary } = await import('#functions/http/admin/subscriber-summary.ts');
  const { handler: exportCsv } = await import('#functions/http/admin/export-subscribers.ts');
  const headers = { authorization: 'Bearer bench-operator-token' };

  const countAll = async (statuses: 'confirmed' | 'all') => {
    const started = performance.now();
    let requests = 0;
    let total = 0;
    let next: string | undefined;
    do {
      const query = { statuses, ...(next ? { cursor: next } : {}) };
      const answer = await summary(httpEvent({ route: '/admin/subscribers/summary', headers, query }), lambdaContext('Bench', 29));
      const body = JSON.parse(String(answer.body)) as { total: number; nextCursor: string | null };
      total += body.total;
      next = body.nextCursor ?? undefined;
      requests++;
    } while (next);
    const ms = performance.now() - started;
    return { total, requests, ms: round(ms, 0), perSecond: round(total / (ms / 1000), 0) };
  };
  // The first read of each kind also warms DynamoDB Local's JVM: the second is the one reported.
  const coldConfirmed = await countAll('confirmed');
  await countAll('all');
  const confirmedIndex = await countAll('confirmed');
  const everyStatusScan = await countAll('all');
  let cursor: string | undefined;

  const exportStarted = performance.now();
  let rows = 0;
  let parts = 0;
  let gzipBytes = 0;
  cursor = undefined;
  do {
    const answer = await exportCsv(httpEvent({ route: '/admin/subscribers.csv', headers, ...(cursor ? { query: { cursor } } : {}) }), lambdaContext('Bench', 29));
    const gz = Buffer.from(String(answer.body), 'base64');
    gzipBytes += gz.length;
    rows += gunzipSync(gz).toString('utf8').trim().split('\n').length - 1;
    cursor = answer.headers?.['x-next-cursor'] as string | undefined;
    parts++;
  } while (cursor);
  const exportMs = performance.now() - exportStarted;

  console.log(
    JSON.stringify(
      {
        subscribers: count,
        seedMs: round(seedMs, 0),
        summary: { ...confirmedIndex, coldMs: coldConfirmed.ms },
        everyStatusScan,
        export: { rows, parts, gzipBytes, ms: round(exportMs, 0), perSecond: round(count / (exportMs / 1000), 0) },
      },
      null,
      2,
    ),
  );
  dynamo.destroy();
} finally {
  await dynamoDb.stop();
}
