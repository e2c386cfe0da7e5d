/**
 * The fixed monthly cost of a stage (what it costs with no traffic at all), computed from its synthesized
 * templates, the main stack's and every nested stack's. docs/operating.md carries the table; a test holds the
 * two together. Usage-driven charges (requests, storage, mail, custom metrics) are in docs/benchmarks.md.
 */
import { NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** us-east-1 list prices, USD a month. */
export const prices = {
  /** Standard-resolution alarm, per metric it reads (a metric-math alarm pays for each metric in it). */
  alarmMetric: 0.1,
  /** Dashboard beyond the 3 free ones, or any dashboard with more than 50 metrics. */
  dashboard: 3,
  freeDashboards: 3,
  freeDashboardMetrics: 50,
  /** Customer-managed KMS key (each of its first two automatic rotations adds $1 more). */
  kmsKey: 1,
  secret: 0.4,
  /** WAF web ACL, and each rule in it. */
  webAcl: 5,
  webAclRule: 1,
} as const;

export const priceSources = {
  cloudWatch: 'https://aws.amazon.com/cloudwatch/pricing/',
  kms: 'https://aws.amazon.com/kms/pricing/',
  secretsManager: 'https://aws.amazon.com/secrets-manager/pricing/',
  waf: 'https://aws.amazon.com/waf/pricing/',
} as const;

export interface CostLine {
  item: string;
  count: number;
  usd: number;
}

type Resource = { Type: string; Properties: Record<string, unknown> };

/** The stack's templates: its own and each nested stack's. */
export function templatesOf(stack: Stack): Record<string, Resource>[] {
  const nested = stack.node.findAll().filter((construct): construct is NestedStack => construct instanceof NestedStack);
  return [stack, ...nested].map((s) => Template.fromStack(s).toJSON().Resources as Record<string, Resource>);
}

export function fixedCost(templates: readonly Record<string, Resource>[]): { lines: CostLine[]; total: number } {
  const all = templates.flatMap((resources) => Object.values(resources));
  const of = (type: string) => all.filter((r) => r.Type === type);

  const alarmMetrics = of('AWS::CloudWatch::Alarm').reduce((sum, alarm) => {
    const metrics = alarm.Properties.Metrics as { MetricStat?: unknown }[] | undefined;
    return sum + (metrics ? metrics.filter((m) => m.MetricStat).length : 1);
  }, 0);
  const dashboards = of('AWS::CloudWatch::Dashboard').map((d) => dashboardMetrics(d.Properties.DashboardBody));
  const paidDashboards = dashboards.filter((metrics, i) => i >= prices.freeDashboards || metrics > prices.freeDashboardMetrics).length;
  const webAcls = of('AWS::WAFv2::WebACL');
  const webAclRules = webAcls.reduce((sum, acl) => sum + ((acl.Properties.Rules as unknown[] | undefined)?.length ?? 0), 0);

  const lines: CostLine[] = [
    { item: 'alarm metrics', count: alarmMetrics, usd: alarmMetrics * prices.alarmMetric },
    { item: 'dashboards beyond the free allowance', count: paidDashboards, usd: paidDashboards * prices.dashboard },
    { item: 'KMS keys', count: of('AWS::KMS::Key').length, usd: of('AWS::KMS::Key').length * prices.kmsKey },
    { item: 'Secrets Manager secrets', count: of('AWS::SecretsManager::Secret').length, usd: of('AWS::SecretsManager::Secret').length * prices.secret },
    ...(webAcls.length ? [{ item: 'WAF web ACLs and rules', count: webAcls.length + webAclRules, usd: webAcls.length * prices.webAcl + webAclRules * prices.webAclRule }] : []),
  ].map((line) => ({ ...line, usd: round(line.usd) }));
  return { lines, total: round(lines.reduce((sum, line) => sum + line.usd, 0)) };
}

/** Metrics a dashboard graphs (CloudWatch's free allowance counts them), from its body, references and all. */
export function dashboardMetrics(body: unknown): number {
  const join = (body as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const text = join ? join[1].map((part) => (typeof part === 'string' ? part : 'REF')).join(join[0]) : String(body);
  const parsed = JSON.parse(text) as { widgets: { properties: { metrics?: unknown[] } }[] };
  return parsed.widgets.reduce((sum, widget) => sum + (widget.properties.metrics?.length ?? 0), 0);
}

const round = (usd: number) => Math.round(usd * 100) / 100;
