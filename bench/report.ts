import type { CostModel } from './cost.ts';
import type { CpuShare } from './cpu.ts';
import type { FullReport } from './main.ts';

const fmt = (v: number | undefined | null, digits = 1) => (v === undefined || v === null || Number.isNaN(v) ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: digits }));
const usd = (v: number) => `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const cores = (c: CpuShare | undefined) =>
  c ? `${c.benchCores} (stack ${c.benchSplit.stack}, JVM ${c.benchSplit.dynamoDbLocal}${c.benchSplit.children ? `, load ${c.benchSplit.children}` : ''}) / ${c.otherCores} / ${c.idleCores}` : '–';

function table(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function costSection(cost: CostModel): string {
  const c = cost.costPerMillionUsd;
  const a = cost.assumptions;
  return `## Cost per million signatures (AWS, us-east-1, on-demand)

${table(
  ['item', 'quantity per million signatures', 'USD'],
  [
    ['CloudFront requests (HTTPS)', fmt(cost.perMillionSignatures.edgeRequests, 0), usd(c.cloudFront)],
    ['HTTP API requests', fmt(cost.perMillionSignatures.apiRequests, 0), usd(c.apiGateway)],
    ['Lambda requests', fmt(cost.perMillionSignatures.lambdaInvocations, 0), usd(c.lambdaRequests)],
    ['Lambda duration (arm64)', `${fmt(cost.perMillionSignatures.lambdaGbSeconds, 0)} GB-s`, usd(c.lambdaDuration)],
    ['DynamoDB writes', `${fmt(cost.perMillionSignatures.dynamoWru, 0)} WRU`, usd(c.dynamoWrites)],
    ['DynamoDB reads', `${fmt(cost.perMillionSignatures.dynamoRru, 0)} RRU`, usd(c.dynamoReads)],
    ['SES (one confirmation mail each)', fmt(cost.perMillionSignatures.emails, 0), usd(c.ses)],
    ['**total**', '', `**${usd(c.total)}**`],
    ['**excluding email**', '', `**${usd(c.excludingEmail)}**`],
  ],
)}

Prices assumed (us-east-1 list prices as known at writing; check before quoting): CloudFront $${cost.prices.cloudFrontPerMillionHttpsRequests.toFixed(2)} per million HTTPS requests (United States, Europe); HTTP API $${cost.prices.httpApiPerMillionRequests.toFixed(2)} per million requests;
Lambda arm64 $${cost.prices.lambdaPerGbSecondArm} per GB-s and $${cost.prices.lambdaPerMillionRequests.toFixed(2)} per million requests; DynamoDB on-demand
$${cost.prices.dynamoPerMillionWru} per million WRU and $${cost.prices.dynamoPerMillionRru} per million RRU (prices after the November 2024 cut); SES $${cost.prices.sesPerThousandEmails.toFixed(2)} per 1,000 emails.

Assumptions per signature: every signature is confirmed (rate ${a.confirmationRate}); ${a.confirmPageViewsPerSignature} view of the confirm page (GET) before the POST;
${a.countReadsPerSignature} reads of GET /counts, answered from CloudFront's cache (${a.countReadsReachingTheApi} reach the API); ${a.publicShare * 100}% of signers choose the public list, ${a.subscribeShare * 100}% ask for updates (a subscription adds its own writes); a campaign item of ≤ 8 KB
(${a.campaignItemRru} RRU eventually consistent), every other item ≤ 1 KB; SendConfirmations batches are full (${a.sendConfirmationsBatch});
CountConfirmations invocations and counter writes at the **measured** rate; RouteChanges one invocation per counter write (upper bound) besides its full batches of new requests.
Billed durations assumed (not measured; DynamoDB Local is slower than DynamoDB): ${Object.entries(a.durationsMs).map(([k, v]) => `${k} ${v} ms`).join(', ')}; memory from the manifest
(${[...new Set(Object.values(a.memoryMb))].join('/')} MB).

${table(['write', 'WRU per signature'], Object.entries(cost.perSignature.wru).map(([k, v]) => [k, fmt(v, 4)]))}

${table(['read', 'RRU per signature'], Object.entries(cost.perSignature.rru).map(([k, v]) => [k, fmt(v, 4)]))}

${table(['function', 'invocations per signature'], Object.entries(cost.perSignature.invocations).map(([k, v]) => [k, fmt(v, 4)]))}

Not included: ${cost.notIncluded.join('; ')}.
`;
}

export function renderMarkdown(r: FullReport): string {
  const parts: string[] = [];
  parts.push(`# Tadamon benchmark report

Run ${r.startedAt} (${r.mode} mode), ${fmt(r.runSeconds, 0)} s in all, on ${r.machine}.
Load average at start ${r.machineDetail.loadAverageAtStart.join(' / ')}, at end ${r.loadAverageAtEnd.join(' / ')} (1/5/15 min; other processes were using this machine, so absolute numbers are pessimistic and noisy).
"Cores: bench / others / idle" is how the machine's ${r.machineDetail.cores} cores were spent during a measurement: by this benchmark's process tree (split into the stack's Node process, DynamoDB Local's JVM and the load generator), by every other process, and idle.
Everything ran on this one machine: the local stack in the bench process (gateway, handlers, stream poller, bus, inbox), DynamoDB Local in a JVM, autocannon in a child process.

## Targets

${table(
  ['target', 'measured', 'status'],
  r.targets.map((t) => [t.name, t.measured, t.met === null ? 'not measured' : t.met ? '**met**' : '**not met**']),
)}

## Checks

${table(['check', 'result', 'status'], r.checks.map((c) => [c.name, c.measured, c.ok ? 'ok' : '**failed**']))}
`);
  if (r.problems.length) parts.push(`## Problems seen\n\n${r.problems.map((p) => `- ${p}`).join('\n')}\n`);
  if (r.observations.length) parts.push(`## Observations\n\n${r.observations.map((p) => `- ${p}`).join('\n')}\n`);
  if (Object.keys(r.errors).length) parts.push(`## Phase errors\n\n${Object.entries(r.errors).map(([k, v]) => `- **${k}**: ${v}`).join('\n')}\n`);

  if (r.signDetail) {
    parts.push(`## 1. Signing: POST /campaigns/{slug}/signatures

${table(
  ['clients', 'signatures/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'sent', '202', 'non-2xx', 'errors', 'items written', 'lost acknowledged', 'written, unanswered', 'mails', 'mail backlog drained after', 'mails/s', 'cores: bench / others / idle'],
  [...r.signDetail.levels, ...(r.signDetail.withoutRateLimits ? [r.signDetail.withoutRateLimits] : [])].map((l) => [
    'variant' in l ? `${l.connections}, ${String(l.variant)}` : l.connections, fmt(l.rps), l.p50Ms, l.p90Ms, l.p99Ms, l.maxMs, l.sent, l.acknowledged, l.non2xx, l.errors, l.itemsWritten, l.lostAcknowledged, l.writtenUnacknowledged, fmt(l.confirmationMails, 0), `${fmt(l.mailBacklogDrainMs / 1000)} s`, fmt(l.mailsPerSecond), cores(l.cpu),
  ]),
)}

${r.signDetail.note} Each level signs its own campaign for ${r.signDetail.levels[0]?.durationS ?? '?'} s with a fresh address per request, after a ${r.signDetail.warmup.seconds} s warm-up at ${r.signDetail.warmup.connections} clients.
Rate limits in force: ${Object.entries(r.signDetail.rateLimits).map(([k, v]) => `${k}=${v}`).join(', ')} (every request comes from 127.0.0.1, so the per-IP limits are raised for the bench; the limiter still runs and writes on every request).
"Written, unanswered" are requests the server completed after autocannon stopped at its deadline (their answers were dropped with the connection): written ≥ acknowledged is the invariant.
`);
  }
  if (r.confirmToCount) {
    const c = r.confirmToCount;
    parts.push(`## 2. Confirmation → visible in GET /counts

${table(
  ['confirmations', 'rate (target / achieved)', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'POST /confirm p50 / p99 ms', 'counts poll p50 / p99 ms', 'errors', 'cores: bench / others / idle'],
  [[c.confirmed, `${c.targetPerSecond} / ${fmt(c.achievedPerSecond)} per s`, c.latency.p50Ms, c.latency.p90Ms, c.latency.p99Ms, c.latency.maxMs, `${c.confirmRequest.p50Ms} / ${c.confirmRequest.p99Ms}`, `${c.pollRequest.p50Ms} / ${c.pollRequest.p99Ms}`, JSON.stringify(c.confirmErrors), cores(c.cpu)]],
)}

${c.note}
`);
  }
  if (r.counterWritesDetail) {
    const w = r.counterWritesDetail;
    parts.push(`## 3. Counter writes in a ${fmt(w.signatures, 0)}-confirmation burst

${table(
  ['path', 'counter writes', 'per signature', 'elapsed', 'cores: bench / others / idle'],
  [
    [`aggregated (stream, one transaction per campaign per batch)`, `${w.aggregatedPath.counterWrites} (${w.aggregatedPath.countChanges} counting + ${w.aggregatedPath.milestoneClaims} milestone claims) + ${w.aggregatedPath.dayItemWrites ?? 0} day items`, `${fmt(w.aggregated, 4)} (counter alone ${fmt(w.counterOnly ?? w.aggregated, 4)})`, `${fmt(w.aggregatedPath.confirmWritesMs / 1000)} s to write the confirmations, ${fmt(w.aggregatedPath.confirmToFullCountMs / 1000)} s until counts showed ${fmt(w.aggregatedPath.finalCount, 0)}`, cores(w.aggregatedPath.cpu)],
    ['naive (UpdateItem ADD per signature)', w.naivePath.counterWrites, fmt(w.naive, 4), `${fmt(w.naivePath.elapsedMs / 1000)} s (${fmt(w.naivePath.writesPerSecond)} writes/s) for the counter writes alone`, cores(w.naivePath.cpu)],
  ],
)}

${fmt(w.aggregatedPath.signaturesPerCounterWrite)} signatures per counting write. Seeding: ${fmt(w.signatures, 0)} pending signatures in ${fmt(w.seed.pendingMs / 1000)} s. Stream read back (from the mark): ${fmt(w.stream.recordsRead, 0)} records, ${w.stream.shards} shard(s), ${fmt(w.stream.readMs / 1000)} s.
${w.note}
`);
  }
  if (r.driftDetail) {
    const d = r.driftDetail;
    parts.push(`## 4. Count drift under stream faults

Faults per batch delivery: fail before ${d.faults.failBefore}, fail after ${d.faults.failAfter}, duplicate ${d.faults.duplicate} (a separate stack, in its own process).
${d.signatures} pending signatures were recorded through the store (each mailed for real through the local inbox, also under faults) and confirmed with confirmSignature, ${r.settings.drift.concurrency} at a time; times count from the first confirmation.

${table(
  ['confirmed', 'final count', 'drift', 'items confirmed / with marker', 'count complete after', 'settled after', 'moved after settling', 'dead-lettered records', 'failed event deliveries', 'confirmation mails'],
  [[d.confirmed, d.finalCount, d.drift, `${d.items.confirmed} / ${d.items.counted}`, d.countReachedMs === null ? 'never' : `${fmt(d.countReachedMs / 1000)} s`, `${fmt(d.settleMs / 1000)} s`, d.movedAfterSettling, JSON.stringify(d.deadLettersByConsumer), d.failedEventDeliveries, `${fmt(d.confirmationMails, 0)} for ${d.signatures} signatures`]],
)}
`);
  }
  if (r.exportDetail) {
    const e = r.exportDetail;
    parts.push(`## 5. Export: GET /admin/campaigns/{slug}/signatures.csv

${table(
  ['rows', 'status', 'time', 'first byte', 'gzip bytes', 'CSV bytes', 'peak RSS Δ', 'peak heap Δ', 'baseline RSS', 'cores: bench / others / idle'],
  [[fmt(e.rows, 0), e.status, `${fmt(e.ms / 1000, 2)} s`, `${fmt(e.timeToFirstByteMs / 1000, 2)} s`, fmt(e.bytes, 0), fmt(e.csvBytes, 0), `${e.peakRssDeltaMb} MB`, `${e.peakHeapDeltaMb} MB`, `${e.baseline.rssMb} MB`, cores(e.cpu)]],
)}

In parts of ≤ ${fmt(e.inParts.partRows, 0)} rows (\`?rows=\`, following the Link header, as \`tadamon export\` does): ${fmt(e.inParts.rows, 0)} rows in ${e.inParts.parts} parts, ${fmt(e.inParts.ms / 1000, 2)} s, last status ${e.inParts.status}.

Seeding ${fmt(e.seed.rows, 0)} rows took ${fmt(e.seed.ms / 1000)} s (${fmt(e.seed.itemsPerSecond, 0)} items/s, ${e.seed.unprocessedRetries} retries of unprocessed items); the stream consumers caught up ${fmt(e.seed.streamCatchUpMs / 1000)} s later (cores during seeding, bench / others / idle: ${cores(e.seed.cpu)}).${e.errorBody ? ` Error body: \`${e.errorBody.replaceAll('`', "'")}\`.` : ''} ${e.note}
`);
  }
  if (r.timing) {
    const t = r.timing;
    parts.push(`## 6. Response times by what the table knows of the address

Signing and subscribing, one client, ${t.perPath} requests per path taken in turn (new, waiting, confirmed), after a warm-up. An attacker who could tell the paths apart by time would learn whether an address signed; the goal is medians within 10 % of each other.

${table(
  ['action', 'address', 'requests', 'median', 'p90'],
  t.paths.map((p) => [p.action, p.address, p.requests, `${fmt(p.medianMs, 2)} ms`, `${fmt(p.p90Ms, 2)} ms`]),
)}

Spread of the medians: signing ${fmt(t.spread.sign * 100)} %, subscribing ${fmt(t.spread.subscribe * 100)} %; answers other than 202: ${t.non202}.
`);
  }
  if (r.statsRead) {
    const st = r.statsRead;
    parts.push(`## 11. Stats of a ${fmt(st.signatures, 0)}-signature campaign: GET /campaigns/{slug}/stats

${table(
  ['route', 'requests', 'p50', 'p99', 'answer'],
  [
    ['public, interval=day', st.requestsPerRoute, `${fmt(st.publicDay.p50Ms)} ms`, `${fmt(st.publicDay.p99Ms)} ms`, `${fmt(st.answerBytes.publicDay / 1024)} KiB`],
    ['public, interval=hour', st.requestsPerRoute, `${fmt(st.publicHour.p50Ms)} ms`, `${fmt(st.publicHour.p99Ms)} ms`, `${fmt(st.answerBytes.publicHour / 1024)} KiB`],
    ['operator, interval=day (with sources)', st.requestsPerRoute, `${fmt(st.operatorDay.p50Ms)} ms`, `${fmt(st.operatorDay.p99Ms)} ms`, `${fmt(st.answerBytes.operatorDay / 1024)} KiB`],
  ],
)}

${st.days} days, ${st.sourceValues} source values; the day series added up to ${fmt(st.seriesTotal, 0)}; the day query of the whole campaign: ${st.dayQueryReadUnits ?? '–'} read units.
${st.note}
`);
  }
  if (r.costDetail) parts.push(costSection(r.costDetail));
  parts.push(`## Process hygiene\n\nThe main stack started in ${fmt((r.stackStartMs ?? 0) / 1000)} s and stopped in ${fmt((r.stackStopMs ?? 0) / 1000)} s. DynamoDB Local JVMs started by this run: ${r.javaStartedByRun.length} (pids ${r.javaStartedByRun.join(', ') || '–'}); still running after it: ${r.javaLeftAfterRun.length === 0 ? 'none' : r.javaLeftAfterRun.join('; ')}. (Other DynamoDB Local processes on the machine belong to other people's runs.)\n`);
  return parts.join('\n');
}
