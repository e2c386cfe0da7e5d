import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions, manifest as everyFunction, type StreamTrigger } from '#infra/manifest.ts';
import { thresholds } from '#infra/stack/monitoring.ts';
import type { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { functionLogicalId, synth } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Dimension = { Name: string; Value: unknown };
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
  Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: Dimension[] }; Stat: string } }[];
};

/** CDK writes a labelled single-metric alarm as a one-entry `Metrics` list; lift it to the top level like the others. */
function flatten(alarm: Alarm): Alarm {
  const only = alarm.Metrics?.length === 1 ? alarm.Metrics[0]?.MetricStat : undefined;
  if (!only) return alarm;
  const { Metric: metric, Stat, Period } = only as typeof only & { Period: number };
  return { ...alarm, ...metric, Statistic: Stat, Period };
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

  beforeAll(() => {
    ({ stack, template, monitoring } = synth({ stage: 'prod', context: { alarmEmail: 'alarms@example.net' } }));
    alarms = (Object.values(monitoring.findResources('AWS::CloudWatch::Alarm')) as Resource[]).map((r) => flatten(r.Properties as unknown as Alarm));
    const nested = Object.values(template.findResources('AWS::CloudFormation::Stack')) as Resource[];
    expect(nested).toHaveLength(1);
    parameters = (nested[0]?.Properties.Parameters ?? {}) as Record<string, unknown>;
  });

  it('sends every alarm, and its recovery, to one KMS-encrypted, TLS-only topic with the alarm email subscribed', () => {
    const topics = monitoring.findResources('AWS::SNS::Topic');
    const [topicId, topic] = Object.entries(topics)[0] ?? [];
    expect(Object.keys(topics)).toHaveLength(1);
    expect(topic?.Properties).toMatchObject({
      TopicName: 'tadamon-prod-alarms',
      KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^AlarmTopicKey/), 'Arn'] },
    });
    monitoring.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    monitoring.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'alarms@example.net', TopicArn: { Ref: topicId } });
    monitoring.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
    expect(alarms.length).toBeGreaterThan(manifest.length);
    for (const a of alarms) {
      expect(a.AlarmActions, a.AlarmName).toEqual([{ Ref: topicId }]);
      expect(a.OKActions, a.AlarmName).toEqual([{ Ref: topicId }]);
      expect(a.TreatMissingData, a.AlarmName).toBe('notBreaching');
    }
    template.hasOutput('AlarmTopicArn', {});
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
        expect(a.Threshold, spec.name).toBe(thresholds.pacedIteratorAgeSeconds * 1000);
        expect(a.Threshold).toBeLessThan(maxRecordAge * 1000);
      }
    }
  });

  it('alarms on any message in any dead-letter queue, one alarm per queue', () => {
    const queueIds = Object.keys(template.findResources('AWS::SQS::Queue'));
    expect(queueIds.length).toBe(stack.deadLetterQueues.length);
    const dlqAlarms = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(dlqAlarms).toHaveLength(queueIds.length);
    const watched = dlqAlarms.map((a) => {
      expect(a).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
      return (dimension(a, 'QueueName') as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
    });
    expect(watched.map(([id]) => id).sort()).toEqual([...queueIds].sort());
    expect(watched.every(([, attribute]) => attribute === 'QueueName')).toBe(true);
    // Named after the function and the kind of failure they hold.
    for (const { queue, functionName, source } of stack.deadLetterQueues) {
      const a = alarm(`${functionName}-${source}-dead-letters`);
      expect(dimension(a, 'QueueName')).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as CfnQueue), 'QueueName'] });
    }
  });

  it('alarms when more than 1 % of at least 20 API requests in 5 minutes answer 5xx', () => {
    const a = alarm('api-5xx-rate');
    expect(a).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
    const metrics = a.Metrics ?? [];
    const expression = metrics.find((m) => m.Expression);
    expect(expression?.Expression).toBe('IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)');
    const byId = Object.fromEntries(metrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat]));
    expect(byId.requests).toMatchObject({ Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count' }, Stat: 'Sum' });
    expect(byId.errors).toMatchObject({ Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5xx' }, Stat: 'Sum' });
    const apiId = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0];
    for (const id of ['requests', 'errors']) expect(dimension(byId[id]?.Metric ?? {}, 'ApiId')).toEqual({ Ref: apiId });
  });

  it('alarms on the SES bounce rate above 5 % and the complaint rate above 0.1 %', () => {
    expect(alarm('ses-bounce-rate')).toMatchObject({ Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate', Threshold: 0.05, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarm('ses-complaint-rate')).toMatchObject({ Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate', Threshold: 0.001, ComparisonOperator: 'GreaterThanThreshold' });
    // Account-level reputation: no dimensions.
    expect(alarm('ses-bounce-rate').Dimensions ?? []).toEqual([]);
  });

  it('alarms when the reconciliation finds count drift, or confirmations the stream never counted', () => {
    expect(alarm('count-drift')).toMatchObject({
      Namespace: 'Tadamon',
      MetricName: 'CountDriftFound',
      Dimensions: [{ Name: 'service', Value: 'tadamon' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarm('uncounted-confirmations')).toMatchObject({
      Namespace: 'Tadamon',
      MetricName: 'UncountedConfirmationsFound',
      Dimensions: [{ Name: 'service', Value: 'tadamon' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('alarms on every function\'s unhandled errors, and on throttling account-wide without the paced sender', () => {
    for (const spec of manifest) {
      const a = alarm(`${spec.name}-errors`);
      expect(a).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      expect(dimension(a, 'FunctionName')).toEqual({ Ref: functionLogicalId(stack, spec.name) });
    }
    const throttles = alarm('lambda-throttles');
    expect(throttles).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const metrics = throttles.Metrics ?? [];
    const paced = manifest.filter((spec) => spec.reservedConcurrency !== undefined);
    expect(paced.length).toBeGreaterThan(0);
    expect(metrics.find((m) => m.Id === 'account')?.MetricStat?.Metric).toEqual({ Namespace: 'AWS/Lambda', MetricName: 'Throttles' });
    expect(metrics.find((m) => m.Expression)?.Expression).toBe(['account', ...paced.map((_, i) => `FILL(paced${i}, 0)`)].join(' - '));
    paced.forEach((spec, i) => {
      const stat = metrics.find((m) => m.Id === `paced${i}`)?.MetricStat;
      expect(stat?.Metric.MetricName).toBe('Throttles');
      expect(dimension(stat?.Metric ?? {}, 'FunctionName')).toEqual({ Ref: functionLogicalId(stack, spec.name) });
    });
  });

  it('has a dashboard with the API, signatures, counter batches, emails, drift, iterator ages, dead letters and every function', () => {
    const dashboards = Object.values(monitoring.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]?.Properties.DashboardName).toBe('tadamon-prod');
    const body = rendered(dashboards[0]?.Properties.DashboardBody) as { widgets: { properties: { title?: string; metrics?: unknown[][] } }[] };
    const graphs = body.widgets.filter((w) => w.properties.metrics);
    /** Every [namespace, metric name, ...dimensions] a widget titled like `title` graphs. */
    const graphed = (title: RegExp) => graphs.filter((w) => title.test(w.properties.title ?? '')).flatMap((w) => w.properties.metrics ?? []);
    const names = (title: RegExp) => graphed(title).map((m) => `${String(m[0])} ${String(m[1])}`);
    expect(names(/^API requests/)).toEqual(expect.arrayContaining(['AWS/ApiGateway Count', 'AWS/ApiGateway 4xx', 'AWS/ApiGateway 5xx']));
    expect(names(/^API latency/)).toContain('AWS/ApiGateway Latency');
    expect(names(/^Signatures/)).toEqual(expect.arrayContaining(['Tadamon SignaturesRecorded', 'Tadamon ConfirmationsCounted']));
    expect(names(/^Counter batches/)).toContain('Tadamon ConfirmationsCounted');
    expect(names(/^Bulk email/)).toEqual(['Tadamon EmailsSent', 'Tadamon EmailsFailed', 'Tadamon EmailsSkipped']);
    expect(names(/^SES reputation/)).toEqual(['AWS/SES Reputation.BounceRate', 'AWS/SES Reputation.ComplaintRate']);
    expect(names(/drift/i)).toEqual(['Tadamon CountDriftFound']);
    // Powertools' default dimension on every application metric.
    for (const metric of graphed(/^(Signatures|Bulk email|Counter batches)/)) expect(metric.slice(2, 4)).toEqual(['service', 'tadamon']);
    expect(graphed(/iterator age/)).toHaveLength(streamConsumers.length);
    expect(graphed(/^Dead-letter queues/)).toHaveLength(stack.deadLetterQueues.length);
    // Every function's errors and throttles, labelled with its manifest name.
    const labels = (title: RegExp) => graphed(title).map((m) => (m.at(-1) as { label?: string }).label);
    expect(labels(/: errors$/).sort()).toEqual(manifest.map((spec) => spec.name).sort());
    expect(labels(/: throttles$/).sort()).toEqual(manifest.map((spec) => spec.name).sort());
    template.hasOutput('DashboardUrl', {});
  });
});

/** A dashboard body as CloudWatch will read it, with every reference replaced by a placeholder. */
function rendered(body: unknown): unknown {
  const join = (body as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const text = join ? join[1].map((part) => (typeof part === 'string' ? part : 'REF')).join(join[0]) : String(body);
  return JSON.parse(text);
}

describe('alarms in a stage without an alarm email', () => {
  it('still has the alarms and the topic, with nobody subscribed', () => {
    const { monitoring } = synth({ stage: 'dev' });
    monitoring.resourceCountIs('AWS::SNS::Topic', 1);
    monitoring.resourceCountIs('AWS::SNS::Subscription', 0);
    monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'tadamon-dev-api-5xx-rate' });
    monitoring.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'tadamon-dev' });
  });
});
