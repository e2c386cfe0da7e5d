/**
 * The sustained ceiling of each step of the signature path and of the read path, computed
 * from the synthesized prod template (in-process, no bundling) and the stage's settings, against AWS's
 * documented quotas; names the lowest step of each path. `npm run capacity` (bench/capacity.ts) writes it to reports/capacity.md.
 *
 * What the template does not say (how long a handler runs, how many items a signature writes) is an
 * assumption, named in `assumptions` and printed with the report; everything the template says is read from it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type DeploymentSettings, settingsFromContext, stackEnvironment } from '#infra/stack/settings.ts';
import { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import * as routes from '#shared/http/routes.ts';
import { signatureShards } from '#shared/store/layout.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** AWS's documented default quotas, each with the page that documents it. */
export const quotas = {
  cloudFrontRequestsPerSecond: { value: 250_000, source: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html' },
  apiAccountRequestsPerSecond: { value: 10_000, source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html' },
  lambdaConcurrency: { value: 1_000, source: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html' },
  lambdaUnreservedMinimum: { value: 100, source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html' },
  partitionWriteUnits: { value: 1_000, source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html' },
  partitionReadUnits: { value: 3_000, source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html' },
  tableWriteUnits: { value: 40_000, source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html' },
  tableReadUnits: { value: 40_000, source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html' },
  newTableWriteUnits: { value: 4_000, source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput.html' },
  streamReadersPerShard: { value: 2, source: 'https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/dynamodb/aws.sdk.kotlin.services.dynamodb.model/-limit-exceeded-exception' },
  sesRate: { value: 1, source: 'https://docs.aws.amazon.com/ses/latest/dg/quotas.html' },
} as const;

/** What the template cannot say. Each is an estimate to check against real traffic (docs/operating.md). */
export const assumptions = {
  /** API requests one signature makes: the POST, the confirm page a mail link opens, and the confirm POST. */
  requestsPerSignature: 3,
  /** Mean duration of an HTTP invocation, seconds (warm; the local benchmark's p50 is well under this). */
  httpSeconds: 0.1,
  /** Mean duration of one stream batch, seconds. */
  streamBatchSeconds: 0.5,
  /** Write units a signature costs the signatures table, its indexes included (pending item, confirmation, count marker, index entries; items under 1 KB). */
  tableWritesPerSignature: 6,
  /** Write units one index entry costs (items under 1 KB). */
  indexEntryWriteUnits: 1,
  /** Stream records a signature makes (pending insert, confirmation, count marker). */
  streamRecordsPerSignature: 3,
  /** Windows of the abuse guard counted per campaign for each submission (burst and sustained). */
  campaignRuleWindows: 2,
  /** Concurrent viewers of one campaign, each polling its counts every `pollSeconds`. */
  viewers: 100_000,
  pollSeconds: 5,
  /**
   * Edge caches that may each fetch one campaign's counts from the API once per `max-age` (CloudFront has
   * more than 600 points of presence; regional edge caches between them and the API only lower this).
   */
  cacheLocations: 600,
  /** Read units one count read costs (an eventually consistent read of one small item). */
  countReadUnits: 0.5,
} as const;

/** The goals the report checks. */
export const goals = { signaturesPerSecond: 1_000, viewers: 100_000 } as const;

export interface Step {
  path: 'signature' | 'read';
  name: string;
  /** Signatures per second (signature path) or viewers (read path) the step sustains. */
  ceiling: number;
  /** How the number was reached, naming what was read from the template. */
  basis: string;
  source: string;
}

export interface CapacityReport {
  stage: string;
  steps: Step[];
  limiting: { signature: Step; read: Step };
  /** The lowest step when confirmation mail is left out: how fast signatures are recorded while mail queues. */
  recording: Step;
  meetsGoals: { signatures: boolean; viewers: boolean };
}

type Resource = { Type: string; Properties: Record<string, unknown> };
type Resources = Record<string, Resource>;

/** A stage's stack as `cdk synth` builds it, in-process and without bundling (no esbuild: the template is enough). */
export function stackOf(context: Record<string, unknown> = {}): { stack: TadamonStack; settings: DeploymentSettings } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], stage: 'prod', ...context } });
  const settings = settingsFromContext(app.node);
  const stack = new TadamonStack(app, `Tadamon-${settings.stage}`, { settings, widgetScript: '/* widget */', env: stackEnvironment(settings) });
  return { stack, settings };
}

/** The prod templates' resources (the main stack's and every nested stack's, side by side) and the stage's settings. */
export function synthesize(context: Record<string, unknown> = {}): { resources: Resources; settings: DeploymentSettings } {
  const { stack, settings } = stackOf(context);
  const stacks = [stack, ...stack.node.findAll().filter((construct): construct is NestedStack => construct instanceof NestedStack)];
  return { resources: Object.assign({}, ...stacks.map((each) => Template.fromStack(each).toJSON().Resources as Resources)) as Resources, settings };
}

export function capacity(resources: Resources, settings: DeploymentSettings): CapacityReport {
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const steps: Step[] = [];
  const sign = (name: string, ceiling: number, basis: string, source: string) => steps.push({ path: 'signature', name, ceiling: whole(ceiling), basis, source });
  const read = (name: string, ceiling: number, basis: string, source: string) => steps.push({ path: 'read', name, ceiling: whole(ceiling), basis, source });
  const { requestsPerSignature } = assumptions;
  const viewerRequestsPerSecond = assumptions.viewers / assumptions.pollSeconds;

  // Edge: a CloudFront distribution with the HTTP API among its origins carries both paths.
  const [apiId] = of('AWS::ApiGatewayV2::Api').map(([id]) => id);
  const distributions = of('AWS::CloudFront::Distribution');
  const fronting = distributions.filter(([, d]) => apiId && JSON.stringify((d.Properties.DistributionConfig as { Origins?: unknown }).Origins ?? []).includes(apiId));
  const countsPath = routes.getCampaignCounts.path.replace(/\{[^}]+\}/g, '*');
  // With the counts behavior caching, each edge cache asks the API at most once per max-age (stale-while-revalidate
  // answers the rest while one request refreshes): the API sees at most cacheLocations / max-age requests/s.
  let originCap = Infinity;
  if (fronting.length > 0) {
    sign('Edge (CloudFront)', quotas.cloudFrontRequestsPerSecond.value / requestsPerSignature, `${quotas.cloudFrontRequestsPerSecond.value.toLocaleString('en')} requests/s per distribution ÷ ${requestsPerSignature} requests per signature`, quotas.cloudFrontRequestsPerSecond.source);
    read('Edge (CloudFront)', quotas.cloudFrontRequestsPerSecond.value * assumptions.pollSeconds, `${quotas.cloudFrontRequestsPerSecond.value.toLocaleString('en')} requests/s × ${assumptions.pollSeconds} s between polls`, quotas.cloudFrontRequestsPerSecond.source);
    const behaviors = fronting.flatMap(([, d]) => ((d.Properties.DistributionConfig as { CacheBehaviors?: { PathPattern: string; CachePolicyId?: unknown }[] }).CacheBehaviors ?? []));
    const counts = behaviors.find((b) => matchesPattern(b.PathPattern, countsPath));
    const policyId = (counts?.CachePolicyId as { Ref?: string } | undefined)?.Ref;
    const policy = policyId ? (resources[policyId]?.Properties.CachePolicyConfig as { DefaultTTL?: number; MaxTTL?: number } | undefined) : undefined;
    const maxAge = routes.getCampaignCounts.cache?.maxAgeSeconds;
    // The origin's Cache-Control decides within the policy's bounds: a policy that lets answers live caches.
    if (policy && ((policy.DefaultTTL ?? 0) > 0 || (policy.MaxTTL ?? 0) > 0) && maxAge) originCap = assumptions.cacheLocations / maxAge;
  } else {
    read('Edge (no CloudFront in front of the API)', Infinity, 'every poll reaches the API', quotas.cloudFrontRequestsPerSecond.source);
  }
  const originReadsPerSecond = Math.min(viewerRequestsPerSecond, originCap);
  const cacheNote = Number.isFinite(originCap)
    ? `cached at the edge: the API sees at most ${Math.round(originCap)} requests/s (${assumptions.cacheLocations} edge caches ÷ max-age ${routes.getCampaignCounts.cache?.maxAgeSeconds} s), however many viewers`
    : 'counts not cached at the edge: every poll reaches the API';
  /** Viewers a step with `capacity` origin requests/s sustains: unbounded when the edge never asks for more. */
  const viewersFor = (capacity: number) => (originCap <= capacity ? Infinity : capacity * assumptions.pollSeconds);

  // API Gateway: the stage's default throttle (every route without its own), per-route throttles, the account's.
  const [, stage] = of('AWS::ApiGatewayV2::Stage')[0] ?? [];
  const defaults = (stage?.Properties.DefaultRouteSettings ?? {}) as { ThrottlingRateLimit?: number };
  const routeSettings = (stage?.Properties.RouteSettings ?? {}) as Record<string, { ThrottlingRateLimit?: number }>;
  const stageRate = defaults.ThrottlingRateLimit ?? quotas.apiAccountRequestsPerSecond.value;
  const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
  const signingRoutes = [routes.createSignature, routes.getConfirmPage, routes.confirm].map(routeKey);
  const ownRate = (key: string) => routeSettings[key]?.ThrottlingRateLimit;
  // DefaultRouteSettings is what each route without RouteSettings of its own gets (a bucket per route).
  const apiCeilings = signingRoutes.map((key) => {
    const own = ownRate(key);
    return { ceiling: own ?? stageRate, text: `${key}: ${own === undefined ? `the stage default, ${stageRate} requests/s` : `its own throttle, ${own} requests/s`} (the lowest of the ${signingRoutes.length} signing routes, one request each per signature)` };
  });
  const apiLowest = apiCeilings.reduce((low, next) => (next.ceiling < low.ceiling ? next : low));
  sign('API throttle (stage and routes)', apiLowest.ceiling, apiLowest.text, 'template: AWS::ApiGatewayV2::Stage DefaultRouteSettings / RouteSettings');
  const countsKey = routeKey(routes.getCampaignCounts);
  const countsRate = ownRate(countsKey) ?? stageRate;
  read('API throttle (counts route)', viewersFor(countsRate), `${countsRate} requests/s (${ownRate(countsKey) === undefined ? 'the stage default' : 'its own throttle'}); ${cacheNote}`, 'template: AWS::ApiGatewayV2::Stage');
  sign('API account quota', Math.max(0, quotas.apiAccountRequestsPerSecond.value - originReadsPerSecond) / requestsPerSignature, `${quotas.apiAccountRequestsPerSecond.value.toLocaleString('en')} requests/s per account and region, less ${Math.round(originReadsPerSecond).toLocaleString('en')} count reads/s, ÷ ${requestsPerSignature}`, quotas.apiAccountRequestsPerSecond.source);
  read('API account quota', viewersFor(quotas.apiAccountRequestsPerSecond.value), `${quotas.apiAccountRequestsPerSecond.value.toLocaleString('en')} requests/s; ${cacheNote}`, quotas.apiAccountRequestsPerSecond.source);

  // Lambda: the account's pool less every reservation (reserved functions never lend theirs).
  const functions = of('AWS::Lambda::Function');
  const reserved = functions.reduce((sum, [, fn]) => sum + Number(fn.Properties.ReservedConcurrentExecutions ?? 0), 0);
  const pool = quotas.lambdaConcurrency.value - reserved;
  sign('Lambda concurrency', pool / (requestsPerSignature * assumptions.httpSeconds), `${quotas.lambdaConcurrency.value} per account − ${reserved} reserved in this stack = ${pool}; ${requestsPerSignature} invocations × ${assumptions.httpSeconds} s per signature`, quotas.lambdaConcurrency.source);
  read('Lambda concurrency', viewersFor(pool / assumptions.httpSeconds), `${pool} unreserved; ${assumptions.httpSeconds} s per count read; ${cacheNote}`, quotas.lambdaConcurrency.source);

  // DynamoDB: the streamed table (signatures), its indexes' hot keys, and the limits table.
  const tables = of('AWS::DynamoDB::Table');
  const [, signaturesTable] = tables.find(([, t]) => t.Properties.StreamSpecification) ?? tables[0] ?? [];
  if (signaturesTable) {
    const warm = (signaturesTable.Properties.WarmThroughput as { WriteUnitsPerSecond?: number } | undefined)?.WriteUnitsPerSecond;
    const tableWrites = Math.min(quotas.tableWriteUnits.value, Math.max(warm ?? 0, quotas.newTableWriteUnits.value));
    sign(
      'DynamoDB signatures table (per table)',
      tableWrites / assumptions.tableWritesPerSignature,
      `${tableWrites.toLocaleString('en')} write units/s at once (${warm ? `WarmThroughput ${warm.toLocaleString('en')}` : `a new on-demand table; it grows to ${quotas.tableWriteUnits.value.toLocaleString('en')} per table as traffic does, or pre-warm`}) ÷ ${assumptions.tableWritesPerSignature} per signature`,
      warm ? 'template: AWS::DynamoDB::Table WarmThroughput' : quotas.newTableWriteUnits.source,
    );
    const indexes = ((signaturesTable.Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).map((index) => index.IndexName);
    sign(
      'DynamoDB index keys of one campaign',
      (signatureShards * quotas.partitionWriteUnits.value) / assumptions.indexEntryWriteUnits,
      `a campaign's confirmed signatures spread over ${signatureShards} index keys (shared/store/layout.ts) × ${quotas.partitionWriteUnits.value.toLocaleString('en')} write units/s per partition (indexes: ${indexes.join(', ')})`,
      quotas.partitionWriteUnits.source,
    );
    read('DynamoDB counter item', viewersFor(quotas.partitionReadUnits.value / assumptions.countReadUnits), `one counter item per campaign: ${quotas.partitionReadUnits.value.toLocaleString('en')} read units/s per partition, ${assumptions.countReadUnits} per read; ${cacheNote}`, quotas.partitionReadUnits.source);

    // The table's stream: readers per shard, and how fast the counting reader keeps up.
    const streamArn = JSON.stringify({ 'Fn::GetAtt': [Object.entries(resources).find(([, r]) => r === signaturesTable)?.[0], 'StreamArn'] });
    const readers = of('AWS::Lambda::EventSourceMapping').filter(([, m]) => JSON.stringify(m.Properties.EventSourceArn) === streamArn);
    const shards = Math.ceil(tableWrites / quotas.partitionWriteUnits.value);
    const perShard = Math.min(...readers.map(([, m]) => (Number(m.Properties.ParallelizationFactor ?? 1) * Number(m.Properties.BatchSize ?? 100)) / assumptions.streamBatchSeconds));
    const readerPenalty = readers.length > quotas.streamReadersPerShard.value ? quotas.streamReadersPerShard.value / readers.length : 1;
    sign(
      'Table stream (readers and shards)',
      (shards * perShard * readerPenalty) / assumptions.streamRecordsPerSignature,
      `${readers.length} reader(s) on the stream (AWS advises at most ${quotas.streamReadersPerShard.value} per shard${readerPenalty < 1 ? `: reads throttled to ${Math.round(readerPenalty * 100)} %` : ''}); ~${shards} shard(s) (one per partition); slowest reader ${Math.round(perShard)} records/s per shard (parallelization × batch size ÷ ${assumptions.streamBatchSeconds} s)`,
      quotas.streamReadersPerShard.source,
    );
  }
  const [, limitsTable] = tables.find(([, t]) => t !== signaturesTable && !t.Properties.StreamSpecification) ?? [];
  const guardSource = readFileSync(path.join(repoRoot, 'shared/abuse/guard.ts'), 'utf8');
  const campaignShards = Number(/const campaignShards = (\d+)/.exec(guardSource)?.[1] ?? 1);
  sign(
    `Abuse guard windows of one campaign${limitsTable ? ' (limits table)' : ''}`,
    (campaignShards * quotas.partitionWriteUnits.value) / (assumptions.campaignRuleWindows / assumptions.campaignRuleWindows),
    `each of the ${assumptions.campaignRuleWindows} per-campaign windows spread over ${campaignShards} keys (shared/abuse/guard.ts) × ${quotas.partitionWriteUnits.value.toLocaleString('en')} write units/s per partition`,
    quotas.partitionWriteUnits.source,
  );

  // SES: one confirmation mail per signature, at the stage's pace (its SES maximum send rate).
  const queued = of('AWS::SQS::Queue').some(([id]) => /confirmation/i.test(id));
  sign(
    'SES (confirmation mail)',
    settings.sesRatePerSecond,
    `SES_RATE_PER_SECOND = ${settings.sesRatePerSecond} (the stage's setting; SES allows 1/s in the sandbox, more per account once raised)${queued ? '; mail waits on its queue, so signing is not held up, confirmation is' : ''}`,
    quotas.sesRate.source,
  );

  const lowest = (candidates: Step[]) => candidates.reduce((low, next) => (next.ceiling < low.ceiling ? next : low));
  const signature = lowest(steps.filter((s) => s.path === 'signature'));
  const recording = lowest(steps.filter((s) => s.path === 'signature' && !s.name.startsWith('SES')));
  const readLimit = lowest(steps.filter((s) => s.path === 'read'));
  return {
    stage: settings.stage,
    steps,
    limiting: { signature, read: readLimit },
    recording,
    meetsGoals: { signatures: recording.ceiling >= goals.signaturesPerSecond, viewers: readLimit.ceiling >= goals.viewers },
  };
}

/** Whole units, rounded down, but not below what floating point lost (200 / 0.01 is 19,999.999…). */
const whole = (n: number) => (Number.isFinite(n) ? Math.floor(n + 1e-6) : n);

function matchesPattern(pattern: string, target: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return regex.test(target) || regex.test(target.replace(/\*/g, 'slug'));
}

/** What lifts each kind of step, for the report's last lines. */
const remedies: [RegExp, string][] = [
  [/^API throttle/, 'give the route a throttle of its own (`signingThrottle` for signing routes) or raise the stage `throttle`'],
  [/^API account/, 'ask for a higher API Gateway throttle quota (Service Quotas)'],
  [/^Lambda/, 'ask for more Lambda concurrency (Service Quotas)'],
  [/^DynamoDB signatures table/, 'pre-warm the table and its indexes (docs/operating.md, before a launch)'],
  [/^DynamoDB index keys/, 'raise `signatureShards` (shared/store/layout.ts)'],
  [/^Table stream/, "pre-warm the table (more partitions, more shards) or raise the slowest reader's `parallelizationFactor` (infra/manifest.ts)"],
  [/^Abuse guard/, 'raise the per-campaign shards in shared/abuse/guard.ts'],
  [/^SES/, 'raise the SES sending quota, then `sesRatePerSecond` (docs/operating.md, before a launch)'],
  [/^Edge/, 'ask for a higher CloudFront requests-per-second quota'],
];
const remedy = (step: Step) => remedies.find(([pattern]) => pattern.test(step.name))?.[1] ?? 'see the quota page';

const number = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en') : 'unbounded');

export function markdown(report: CapacityReport): string {
  const rows = (pathName: Step['path']) =>
    report.steps
      .filter((s) => s.path === pathName)
      .map((s) => `| ${s === report.limiting[pathName] ? `**${s.name}**` : s.name} | ${number(s.ceiling)} | ${s.basis} | ${s.source.startsWith('http') ? `[source](${s.source})` : s.source} |`);
  const verdict = (ok: boolean) => (ok ? 'meets the goal' : 'is **below the goal**');
  return [
    '# Capacity (generated by `npm run capacity`)',
    '',
    `From the synthesized \`${report.stage}\` template and its stage settings, against AWS's documented default quotas.`,
    'Do not edit by hand: run `npm run capacity` again after changing the stack or the stage.',
    '',
    '## Signature path (signatures per second on one campaign)',
    '',
    '| step | ceiling | how | quota |',
    '| --- | ---: | --- | --- |',
    ...rows('signature'),
    '',
    `Lowest: **${report.limiting.signature.name}**, ${number(report.limiting.signature.ceiling)} signatures/s confirmed by mail.`,
    `Without confirmation mail (recorded, mail queued): **${report.recording.name}**, ${number(report.recording.ceiling)} signatures/s, which ${verdict(report.meetsGoals.signatures)} of ${goals.signaturesPerSecond.toLocaleString('en')}/s.`,
    '',
    `## Read path (viewers polling one campaign's counts every ${assumptions.pollSeconds} s)`,
    '',
    '| step | ceiling (viewers) | how | quota |',
    '| --- | ---: | --- | --- |',
    ...rows('read'),
    '',
    `Lowest: **${report.limiting.read.name}**, ${number(report.limiting.read.ceiling)} viewers, which ${verdict(report.meetsGoals.viewers)} of ${goals.viewers.toLocaleString('en')}.`,
    '',
    '## What lifts the lowest steps',
    '',
    ...[...new Set([report.limiting.signature, report.recording, report.limiting.read])].map((step) => `- ${step.name}: ${remedy(step)}.`),
    '',
    '## Assumptions (what the template cannot say)',
    '',
    ...Object.entries(assumptions).map(([key, value]) => `- \`${key}\`: ${value}`),
    '',
  ].join('\n');
}
