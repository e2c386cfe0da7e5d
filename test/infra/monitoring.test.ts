import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions, manifest as everyFunction, type StreamTrigger } from '#infra/manifest.ts';
import { freeDashboardMetrics, thresholds, tooManyRequestsMetric, unhandledErrorMetric } from '#infra/stack/monitoring.ts';
import type { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { tableDefinition } from '#shared/store/table-definition.ts';
import { functionLogicalId, synth } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Dimension = { Name: string; Value: unknown };
type MetricStat = { Metric: { Namespace: string; MetricName: string; Dimensions?: Dimension[] }; Stat: string };
type Alarm = {
  AlarmName: string;
  Namespace?: string;
  MetricName?: string;
  Statistic?: string;
  Period?: number;
  Dimensions?: Dimension[];
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  TreatMissingData: string;
  AlarmActions: unknown[];
  OKActions: unknown[];
  Metrics?: { Id: string; Expression?: string; MetricStat?: MetricStat }[];
};

/** CDK writes a labelled single-metric alarm as a one-entry `Metrics` list; lift it to the top level like the others. */
function flatten(alarm: Alarm): Alarm {
  const only = alarm.Metrics?.length === 1 ? alarm.Metrics[0]?.MetricStat : undefined;
  if (!only) return alarm;
  const { Metric: metric, Stat, Period } = only as typeof only & { Period: number };
  return { ...alarm, ...metric, Statistic: Stat, Period };
}

function alarmsOf(monitoring: Template): Alarm[] {
  return (Object.values(monitoring.findResources('AWS::CloudWatch::Alarm')) as Resource[]).map((r) => flatten(r.Properties as unknown as Alarm));
}

// What prod deploys: the development routes stay on laptops.
const manifest = deployedFunctions(everyFunction, false);

const streamConsumers = manifest.filter((spec) => spec.triggers.some((trigger) => trigger.type === 'stream'));

describe('alarms, their topic and the dashboard (prod, with an alarm email)', () => {
  let stack: TadamonStack;
  let template: Template;
  let monitoring: Template;
  let alarms: Alarm[];
  /** What a nested-stack parameter is bound to in the parent (alarms see the parent's resources through them). */
  let parameters: Record<string, unknown>;
  const resolve = (value: unknown): unknown => {
    const ref = (value as { Ref?: string } | undefined)?.Ref;
    return ref && ref in parameters ? parameters[ref] : value;
  };
  const alarm = (name: string): Alarm => {
    const found = alarms.find((a) => a.AlarmName === `tadamon-prod-${name}`);
    if (!found) throw new Error(`No alarm tadamon-prod-${name}`);
    return found;
  };
  const dimension = (a: { Dimensions?: Dimension[] }, name: string) => resolve(a.Dimensions?.find((d) => d.Name === name)?.Value);
  const metricsOf = (a: Alarm) => Object.fromEntries((a.Metrics ?? []).filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat!]));

  beforeAll(() => {
    ({ stack, template, monitoring } = synth({ stage: 'prod', context: { alarmEmail: 'alarms@example.net' } }));
    alarms = alarmsOf(monitoring);
    const nested = (Object.values(template.findResources('AWS::CloudFormation::Stack')) as Resource[]).filter((r) =>
      Object.keys((r.Properties.Parameters ?? {}) as object).some((key) => /HttpApi/.test(key)),
    );
    parameters = Object.assign({}, ...nested.map((r) => r.Properties.Parameters ?? {})) as Record<string, unknown>;
  });

  it('sends every alarm, and its recovery, to one TLS-only topic that CloudWatch may publish to, with the alarm email subscribed', () => {
    const topics = monitoring.findResources('AWS::SNS::Topic');
    const [topicId, topic] = Object.entries(topics)[0] ?? [];
    expect(Object.keys(topics)).toHaveLength(1);
    expect(topic?.Properties).toMatchObject({ TopicName: 'tadamon-prod-alarms' });
    // The topic's policy replaces SNS's default one: without this statement CloudWatch's notifications are refused.
    monitoring.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topicId },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':alarm:tadamon-prod-\\*$')])] } },
            },
          }),
        ]),
      },
    });
    // Unencrypted on purpose (no personal data, and a key costs $1 a month): so no key CloudWatch would need.
    expect(topic?.Properties.KmsMasterKeyId).toBeUndefined();
    monitoring.resourceCountIs('AWS::KMS::Key', 0);
    monitoring.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'alarms@example.net', TopicArn: { Ref: topicId } });
    for (const a of alarms) {
      expect(a.AlarmActions, a.AlarmName).toEqual([{ Ref: topicId }]);
      expect(a.OKActions, a.AlarmName).toEqual([{ Ref: topicId }]);
      expect(a.TreatMissingData, a.AlarmName).toBe('notBreaching');
    }
    template.hasOutput('AlarmTopicArn', {});
  });

  it("alarms on HTTP handlers' unhandled errors (the handlers' own metric) and on any failed invocation in the account", () => {
    expect(alarm('unhandled-errors')).toMatchObject({
      Namespace: 'Tadamon',
      MetricName: unhandledErrorMetric,
      Dimensions: [{ Name: 'service', Value: 'tadamon' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const failed = alarm('function-errors');
    expect(failed).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(failed.Dimensions ?? []).toEqual([]);
    // HTTP handlers answer 500 rather than fail, so a per-function Errors alarm on them could never fire: there are none.
    expect(alarms.filter((a) => a.MetricName === 'Errors' && (a.Dimensions ?? []).length > 0)).toEqual([]);
  });

  it('alarms on a count of API 5xx answers, not a rate', () => {
    const a = alarm('api-5xx');
    expect(a).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', Statistic: 'Sum', Period: 300, Threshold: thresholds.apiServerErrors, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(dimension(a, 'ApiId')).toEqual({ Ref: Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0] });
  });

  it("alarms on the API's throttles: 429s counted from the access log, less the abuse guard's", () => {
    const filters = Object.values(monitoring.findResources('AWS::Logs::MetricFilter')) as Resource[];
    expect(filters).toHaveLength(1);
    const filter = filters[0]!.Properties as { FilterPattern: string; LogGroupName: unknown; MetricTransformations: { MetricNamespace: string; MetricName: string; MetricValue: string; DefaultValue?: number }[] };
    expect(filter.FilterPattern).toBe('{ $.status = "429" }');
    // No default value: the metric is published (and paid for) only in hours that have a 429.
    expect(filter.MetricTransformations).toEqual([{ MetricNamespace: 'Tadamon', MetricName: tooManyRequestsMetric, MetricValue: '1' }]);
    const [accessLogs] = Object.keys(template.findResources('AWS::Logs::LogGroup')).filter((id) => id.startsWith('HttpApiAccessLogs'));
    expect(resolve(filter.LogGroupName)).toEqual({ Ref: accessLogs });
    // The access log writes the status as a string, which is what the pattern compares with.
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as Resource;
    expect(JSON.parse((stage.Properties.AccessLogSettings as { Format: string }).Format)).toMatchObject({ status: '$context.status' });

    const a = alarm('api-throttled');
    expect(a.Metrics?.find((m) => m.Expression)?.Expression).toBe('MAX([0, FILL(answered, 0) - FILL(guard, 0)])');
    const metrics = metricsOf(a);
    expect(metrics.answered?.Metric).toEqual({ Namespace: 'Tadamon', MetricName: tooManyRequestsMetric });
    expect(metrics.guard?.Metric).toEqual({ Namespace: 'Tadamon', MetricName: 'RateLimited', Dimensions: [{ Name: 'service', Value: 'tadamon' }] });
    expect(a).toMatchObject({ Threshold: thresholds.apiThrottledRequests, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it("alarms on DynamoDB throttling of every table: its reads and writes, and every index's writes", () => {
    const tables = template.findResources('AWS::DynamoDB::Table') as Record<string, Resource>;
    expect(Object.keys(tables).length).toBeGreaterThanOrEqual(1);
    const throttleAlarms = alarms.filter((a) => a.AlarmName.endsWith('table-throttles'));
    expect(throttleAlarms).toHaveLength(Object.keys(tables).length);
    for (const [id, table] of Object.entries(tables)) {
      const indexes = ((table.Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).map((index) => index.IndexName);
      const a = throttleAlarms.find((candidate) => Object.values(metricsOf(candidate)).some((m) => JSON.stringify(dimension(m.Metric, 'TableName')) === JSON.stringify({ Ref: id })));
      expect(a, id).toBeDefined();
      const watched = Object.values(metricsOf(a!)).map((m) => `${m.Metric.MetricName} ${String(dimension(m.Metric, 'GlobalSecondaryIndexName') ?? '(table)')}`);
      expect(watched.sort()).toEqual(['ReadThrottleEvents (table)', 'WriteThrottleEvents (table)', ...indexes.map((index) => `WriteThrottleEvents ${index}`)].sort());
      expect(a!.Metrics?.find((m) => m.Expression)?.Expression).toMatch(/^SUM\(\[FILL\(\w+, 0\)(, FILL\(\w+, 0\))*\]\)$/);
      expect(a!.Threshold).toBe(thresholds.tableThrottleEvents);
    }
    // The signatures table's own indexes are among them.
    const watchedIndexes = throttleAlarms.flatMap((a) => Object.values(metricsOf(a)).map((m) => dimension(m.Metric, 'GlobalSecondaryIndexName'))).filter(Boolean);
    expect(watchedIndexes).toEqual(expect.arrayContaining(tableDefinition.indexes.map((index) => index.name)));
  });

  it('alarms on each stream consumer falling more than 60 s behind (the paced sender: a deep backlog)', () => {
    const ageAlarms = alarms.filter((a) => a.MetricName === 'IteratorAge');
    expect(ageAlarms).toHaveLength(streamConsumers.length);
    for (const spec of streamConsumers) {
      const a = alarm(`${spec.name}-iterator-age`);
      expect(a).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Statistic: 'Maximum', Period: 60, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanThreshold' });
      expect(dimension(a, 'FunctionName')).toEqual({ Ref: functionLogicalId(stack, spec.name) });
      const maxRecordAge = Math.min(...spec.triggers.filter((t): t is StreamTrigger => t.type === 'stream').map((t) => t.maxRecordAgeSeconds));
      if (spec.reservedConcurrency === undefined) {
        expect(a.Threshold, spec.name).toBe(60_000);
      } else {
        expect(a.Threshold, spec.name).toBe(Math.min(thresholds.pacedIteratorAgeSeconds, maxRecordAge / 2) * 1000);
        expect(a.Threshold).toBeLessThan(maxRecordAge * 1000);
      }
    }
  });

  it('alarms on any message in any dead-letter queue, one alarm per queue', () => {
    const dlqAlarms = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(dlqAlarms).toHaveLength(stack.deadLetterQueues.length);
    for (const a of dlqAlarms) {
      expect(a).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
    }
    for (const { queue, functionName, source } of stack.deadLetterQueues) {
      const a = alarm(`${functionName}-${source}-dead-letters`);
      expect(dimension(a, 'QueueName')).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as CfnQueue), 'QueueName'] });
    }
  });

  it('alarms when a work queue (mail) has held its oldest message too long: minutes for confirmations', () => {
    const queueAlarms = alarms.filter((a) => a.MetricName === 'ApproximateAgeOfOldestMessage');
    expect(queueAlarms).toHaveLength(stack.queues.queues.size);
    expect(stack.queues.queues.size).toBeGreaterThan(0);
    for (const [name, queue] of stack.queues.queues) {
      const a = alarm(`${name}-queue-age`);
      const expected = (thresholds.queueAgeSeconds as Record<string, number>)[name] ?? thresholds.queueAgeSeconds.other;
      expect(a).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Period: 300, Threshold: expected, ComparisonOperator: 'GreaterThanThreshold' });
      expect(dimension(a, 'QueueName')).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as CfnQueue), 'QueueName'] });
    }
    expect(alarm('confirmation-mail-queue-age').Threshold).toBeLessThanOrEqual(15 * 60);
  });

  it('alarms on the SES bounce rate above 5 % and the complaint rate above 0.1 %', () => {
    expect(alarm('ses-bounce-rate')).toMatchObject({ Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate', Threshold: 0.05, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarm('ses-complaint-rate')).toMatchObject({ Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate', Threshold: 0.001, ComparisonOperator: 'GreaterThanThreshold' });
    // Account-level reputation: no dimensions.
    expect(alarm('ses-bounce-rate').Dimensions ?? []).toEqual([]);
  });

  it('alarms when the reconciliation finds count drift, or confirmations the stream never counted', () => {
    for (const [name, metricName] of [['count-drift', 'CountDriftFound'], ['uncounted-confirmations', 'UncountedConfirmationsFound']] as const) {
      expect(alarm(name)).toMatchObject({
        Namespace: 'Tadamon',
        MetricName: metricName,
        Dimensions: [{ Name: 'service', Value: 'tadamon' }],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('alarms on throttling account-wide without the paced sender', () => {
    const throttles = alarm('lambda-throttles');
    expect(throttles).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const metrics = throttles.Metrics ?? [];
    // Mail is paced in the limits table, not by reserved concurrency: when no function reserves any, the alarm
    // reads the account's throttles alone.
    const paced = manifest.filter((spec) => spec.reservedConcurrency !== undefined);
    expect(metrics.find((m) => m.Id === 'account')?.MetricStat?.Metric).toEqual({ Namespace: 'AWS/Lambda', MetricName: 'Throttles' });
    expect(metrics.find((m) => m.Expression)?.Expression).toBe(['account', ...paced.map((_, i) => `FILL(paced${i}, 0)`)].join(' - '));
    paced.forEach((spec, i) => {
      const stat = metrics.find((m) => m.Id === `paced${i}`)?.MetricStat;
      expect(stat?.Metric.MetricName).toBe('Throttles');
      expect(dimension(stat?.Metric ?? {}, 'FunctionName')).toEqual({ Ref: functionLogicalId(stack, spec.name) });
    });
  });

  it('has one dashboard within the free allowance of 50 metrics, with the API, signatures, failures, email, drift, iterator ages and throttling', () => {
    const dashboards = Object.values(monitoring.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]?.Properties.DashboardName).toBe('tadamon-prod');
    const body = rendered(dashboards[0]?.Properties.DashboardBody) as { widgets: { properties: { title?: string; metrics?: unknown[][] } }[] };
    const graphs = body.widgets.filter((w) => w.properties.metrics);
    expect(graphs.flatMap((w) => w.properties.metrics ?? []).length).toBeLessThanOrEqual(freeDashboardMetrics);
    /** Every [namespace, metric name, ...dimensions] a widget titled like `title` graphs. */
    const graphed = (title: RegExp) => graphs.filter((w) => title.test(w.properties.title ?? '')).flatMap((w) => w.properties.metrics ?? []);
    const names = (title: RegExp) => graphed(title).map((m) => `${String(m[0])} ${String(m[1])}`);
    expect(names(/^API requests/)).toEqual(expect.arrayContaining(['AWS/ApiGateway Count', 'AWS/ApiGateway 4xx', 'AWS/ApiGateway 5xx', `Tadamon ${tooManyRequestsMetric}`]));
    expect(names(/^API latency/)).toContain('AWS/ApiGateway Latency');
    expect(names(/^Signatures/)).toEqual(expect.arrayContaining(['Tadamon SignaturesRecorded', 'Tadamon ConfirmationsCounted', 'Tadamon RateLimited']));
    expect(names(/^Failures/)).toEqual(expect.arrayContaining([`Tadamon ${unhandledErrorMetric}`, 'AWS/Lambda Errors', 'AWS/Lambda Throttles']));
    expect(names(/^Email/)).toEqual(['Tadamon EmailsSent', 'Tadamon EmailsFailed', 'Tadamon EmailsSkipped', 'AWS/SES Send']);
    expect(names(/^SES reputation/)).toEqual(['AWS/SES Reputation.BounceRate', 'AWS/SES Reputation.ComplaintRate']);
    expect(names(/drift/i)).toEqual(['Tadamon CountDriftFound']);
    expect(names(/^DynamoDB/)).toEqual(expect.arrayContaining(['AWS/DynamoDB ReadThrottleEvents', 'AWS/DynamoDB WriteThrottleEvents']));
    // Powertools' default dimension on every application metric.
    for (const metric of graphed(/^(Signatures|Email)/).filter((m) => m[0] === 'Tadamon')) expect(metric.slice(2, 4)).toEqual(['service', 'tadamon']);
    expect(graphed(/iterator age/)).toHaveLength(streamConsumers.length);
    expect(graphed(/^Dead-letter queues/)).toHaveLength(stack.deadLetterQueues.length);
    template.hasOutput('DashboardUrl', {});
  });
});

/** A dashboard body as CloudWatch will read it, with every reference replaced by a placeholder. */
function rendered(body: unknown): unknown {
  const join = (body as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const text = join ? join[1].map((part) => (typeof part === 'string' ? part : 'REF')).join(join[0]) : String(body);
  return JSON.parse(text);
}

describe('alarms in dev (no alarm email, the essentials only)', () => {
  it('has the topic with nobody subscribed, and only the two alarms that cover every failure', () => {
    const { monitoring } = synth({ stage: 'dev' });
    monitoring.resourceCountIs('AWS::SNS::Topic', 1);
    monitoring.resourceCountIs('AWS::SNS::Subscription', 0);
    expect(alarmsOf(monitoring).map((a) => a.AlarmName).sort()).toEqual(['tadamon-dev-function-errors', 'tadamon-dev-unhandled-errors']);
    monitoring.resourceCountIs('AWS::Logs::MetricFilter', 0);
    monitoring.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'tadamon-dev' });
  });
});

describe("the SES bounce and complaint rule", () => {
  it("matches this stage's configuration set only, on the default bus", () => {
    for (const stage of ['prod', 'dev'] as const) {
      const { template } = synth({ stage });
      const rules = (Object.values(template.findResources('AWS::Events::Rule')) as Resource[]).filter((rule) =>
        ((rule.Properties.EventPattern as { source?: string[] }).source ?? []).includes('aws.ses'),
      );
      expect(rules).toHaveLength(1);
      expect(rules[0]?.Properties.EventBusName).toBe('default'); // the only bus SES delivers to
      expect(rules[0]?.Properties.EventPattern).toEqual({
        source: ['aws.ses'],
        'detail-type': ['Email Bounced', 'Email Complaint Received'],
        detail: { mail: { tags: { 'ses:configuration-set': [`tadamon-${stage}`] } } },
      });
      template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: `tadamon-${stage}` });
    }
  });
});
