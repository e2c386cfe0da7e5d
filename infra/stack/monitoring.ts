import { Duration, NestedStack, type NestedStackProps, RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StreamTrigger } from '#infra/manifest.ts';
import type { TadamonFunction } from './tadamon-function.ts';

/** Where the handlers' Powertools metrics land (shared/observability.ts): namespace, and the default `service` dimension. */
export const appMetrics = { namespace: 'Tadamon', dimensionsMap: { service: 'tadamon' } } as const;

/** Every alarm's threshold, in one place (the runbook explains each). */
export const thresholds = {
  /** API 5xx answers as a percentage of requests, over 5 minutes... */
  apiServerErrorPercent: 1,
  /** ...once there are at least this many requests in those 5 minutes (3 failures out of 5 say little). */
  apiMinimumRequests: 20,
  /** Lambda Errors of one function in 5 minutes: any unhandled failure is a bug or an outage. */
  functionErrors: 1,
  /** Throttled Lambda invocations in the account and region in 5 minutes (paced functions' own throttles excepted). */
  throttles: 1,
  /** Age of the oldest record a stream consumer read, for 3 minutes in a row. */
  iteratorAgeSeconds: 60,
  /**
   * A paced consumer (reserved concurrency: the SES sender) falls behind by design during a large send; alarm
   * when a backlog is deep enough to threaten its records' maximum age (they go to the dead-letter queue then).
   */
  pacedIteratorAgeSeconds: 3600,
  /** SES account reputation (fractions, as SES publishes them): AWS reviews an account from 5 % bounces and 0.1 % complaints. */
  sesBounceRate: 0.05,
  sesComplaintRate: 0.001,
} as const;

export interface DeadLetterQueue {
  queue: IQueue;
  /** The manifest function whose failures it holds. */
  functionName: string;
  /** `stream`: records an event source mapping gave up on; `async`: rule, schedule or async-invoke failures. */
  source: 'stream' | 'async';
}

export interface MonitoringProps extends NestedStackProps {
  stage: string;
  alarmEmail?: string;
  api: IHttpApi;
  functions: readonly TadamonFunction[];
  deadLetterQueues: readonly DeadLetterQueue[];
}

const fiveMinutes = Duration.minutes(5);
const oneMinute = Duration.minutes(1);

/**
 * Alarms, their topic and the dashboard, in a nested stack of their own: the main stack already holds ~380
 * of CloudFormation's 500 resources (each manifest function brings about eight), and an alarm per function
 * would eat the rest. Every alarm notifies the topic when it fires and when it recovers; the topic is
 * KMS-encrypted and TLS-only.
 */
export class Monitoring extends NestedStack {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  private readonly stageName: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id, props);
    this.stageName = props.stage;

    // Alarm notifications carry no signers' data, so they get a key of their own (CloudWatch must be able to use it).
    const key = new Key(this, 'AlarmTopicKey', {
      description: `Tadamon ${props.stage}: alarm notifications`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      topicName: `tadamon-${props.stage}-alarms`,
      displayName: `Tadamon ${props.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);

    const { api } = props;
    const requests = api.metricCount({ statistic: 'Sum', period: fiveMinutes, label: 'requests' });
    const clientErrors = api.metricClientError({ period: fiveMinutes, label: '4xx' });
    const serverErrors = api.metricServerError({ period: fiveMinutes, label: '5xx' });
    const serverErrorRate = new MathExpression({
      expression: `IF(requests >= ${thresholds.apiMinimumRequests}, 100 * FILL(errors, 0) / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      period: fiveMinutes,
      label: '5xx, % of requests',
    });
    const headline: Alarm[] = [];
    headline.push(
      this.alarm('ApiServerErrors', 'api-5xx-rate', {
        description: `More than ${thresholds.apiServerErrorPercent} % of API requests answered 5xx over 5 minutes (at least ${thresholds.apiMinimumRequests} requests).`,
        metric: serverErrorRate,
        threshold: thresholds.apiServerErrorPercent,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    );

    // Stream consumers: how far behind each one reads.
    const iteratorAges: IMetric[] = [];
    for (const fn of props.functions) {
      const streams = fn.spec.triggers.filter((trigger): trigger is StreamTrigger => trigger.type === 'stream');
      if (streams.length === 0) continue;
      const age = fn.function.metric('IteratorAge', { statistic: 'Maximum', period: oneMinute, label: fn.spec.name });
      iteratorAges.push(age);
      const paced = fn.spec.reservedConcurrency !== undefined;
      const maxRecordAge = Math.min(...streams.map((trigger) => trigger.maxRecordAgeSeconds));
      const seconds = paced ? Math.min(thresholds.pacedIteratorAgeSeconds, maxRecordAge / 2) : thresholds.iteratorAgeSeconds;
      headline.push(
        this.alarm(`IteratorAge${fn.spec.name}`, `${fn.spec.name}-iterator-age`, {
          description:
            `${fn.spec.name} has been reading table stream records older than ${seconds} s for 3 minutes` +
            (paced ? ' (it is paced to the SES rate, so only a deep backlog counts).' : '.') +
            ` Records older than ${maxRecordAge} s go to its dead-letter queue.`,
          metric: age,
          threshold: seconds * 1000,
          comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
        }),
      );
    }

    // Dead-letter queues: any message is work that was given up on.
    const queueDepths: IMetric[] = [];
    for (const { queue, functionName, source } of props.deadLetterQueues) {
      const visible = queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: fiveMinutes, label: `${functionName} (${source})` });
      queueDepths.push(visible);
      headline.push(
        this.alarm(`DeadLetters${functionName}${source === 'stream' ? 'Stream' : 'Async'}`, `${functionName}-${source}-dead-letters`, {
          description:
            source === 'stream'
              ? `${functionName} gave up on table stream records (retries or maximum record age exhausted); each message names the shard and sequence numbers.`
              : `Events, schedules or asynchronous invocations of ${functionName} failed after every retry; each message holds the failed event.`,
          metric: visible,
          threshold: 0,
          comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
        }),
      );
    }

    // SES reputation, account-wide in this region (AWS publishes and enforces it per account, not per configuration set).
    const bounceRate = new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate', statistic: 'Maximum', period: Duration.hours(1), label: 'bounce rate' });
    const complaintRate = new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.ComplaintRate', statistic: 'Maximum', period: Duration.hours(1), label: 'complaint rate' });
    headline.push(
      this.alarm('SesBounceRate', 'ses-bounce-rate', {
        description: `The account's SES bounce rate is above ${thresholds.sesBounceRate * 100} % (AWS reviews the account from 5 % and may pause sending from 10 %).`,
        metric: bounceRate,
        threshold: thresholds.sesBounceRate,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
      this.alarm('SesComplaintRate', 'ses-complaint-rate', {
        description: `The account's SES complaint rate is above ${thresholds.sesComplaintRate * 100} % (AWS reviews the account from 0.1 % and may pause sending from 0.5 %).`,
        metric: complaintRate,
        threshold: thresholds.sesComplaintRate,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    );

    const drift = this.appMetric('CountDriftFound', { period: Duration.hours(1), label: 'campaigns with drift' });
    headline.push(
      this.alarm('CountDrift', 'count-drift', {
        description: 'The nightly reconciliation found (and corrected) a campaign whose counter disagreed with its counted signatures.',
        metric: drift,
        threshold: 0,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
      this.alarm('UncountedConfirmations', 'uncounted-confirmations', {
        description: 'The nightly sweep found confirmations that the stream never counted (older than an hour, no count marker), and counted them.',
        metric: this.appMetric('UncountedConfirmationsFound', { period: Duration.hours(1), label: 'uncounted confirmations' }),
        threshold: 0,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    );

    // Every function's unhandled errors, one alarm each: the alarm's name says where to look.
    const functionErrors: Alarm[] = [];
    for (const fn of props.functions) {
      const alarm = this.alarm(`Errors${fn.spec.name}`, `${fn.spec.name}-errors`, {
        description: `${fn.spec.name} (${fn.spec.entry}) failed with an unhandled error in the last 5 minutes.`,
        metric: fn.function.metricErrors({ statistic: 'Sum', period: fiveMinutes }),
        threshold: thresholds.functionErrors,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
      functionErrors.push(alarm);
    }

    // Throttling, aggregated: functions without reserved concurrency are throttled only when the account's
    // concurrency pool (shared by every function in the account and region) runs dry, so the account-wide
    // metric says it with one alarm metric instead of one alarm per function. A paced function (reserved
    // concurrency) throttles by design; its own throttles are taken out, and its backlog has an alarm above.
    const paced = props.functions.filter((fn) => fn.spec.reservedConcurrency !== undefined);
    if (paced.length > 9) throw new Error('An alarm expression takes at most 10 metrics: too many functions with reserved concurrency');
    const pacedThrottles = Object.fromEntries(paced.map((fn, i) => [`paced${i}`, fn.function.metricThrottles({ statistic: 'Sum', period: fiveMinutes })]));
    const accountThrottles = new Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', statistic: 'Sum', period: fiveMinutes, label: 'throttles' });
    const throttles = new MathExpression({
      expression: ['account', ...Object.keys(pacedThrottles).map((id) => `FILL(${id}, 0)`)].join(' - '),
      usingMetrics: { account: accountThrottles, ...pacedThrottles },
      period: fiveMinutes,
      label: `throttles (account-wide${paced.length ? `, without ${paced.map((fn) => fn.spec.name).join(', ')}` : ''})`,
    });
    headline.push(
      this.alarm('LambdaThrottles', 'lambda-throttles', {
        description:
          'Lambda throttled invocations in this account and region in the last 5 minutes' +
          (paced.length ? ` (not counting ${paced.map((fn) => fn.spec.name).join(', ')}, throttled by design)` : '') +
          ': the concurrency pool is exhausted.',
        metric: throttles,
        threshold: thresholds.throttles,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      }),
    );

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `tadamon-${props.stage}`, defaultInterval: Duration.hours(24) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Tadamon ${props.stage}\nAlarms notify the SNS topic \`tadamon-${props.stage}-alarms\`; what each means and what to do is in docs/operating.md (the runbook). Application metrics: namespace \`Tadamon\`, dimension \`service=tadamon\`.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms: API, streams, dead letters, SES, drift, throttles', alarms: headline, width: 24, height: 4 }));
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms: unhandled errors, per function', alarms: functionErrors, width: 24, height: 6 }));
    this.dashboard.addWidgets(
      graph('API requests and errors (per 5 min)', [requests, clientErrors, serverErrors], [serverErrorRate], 12),
      graph('API latency (ms)', [
        api.metricLatency({ statistic: 'p50', period: fiveMinutes, label: 'p50' }),
        api.metricLatency({ statistic: 'p90', period: fiveMinutes, label: 'p90' }),
        api.metricLatency({ statistic: 'p99', period: fiveMinutes, label: 'p99' }),
        api.metricIntegrationLatency({ statistic: 'p99', period: fiveMinutes, label: 'integration p99' }),
      ], [], 12),
    );
    this.dashboard.addWidgets(
      graph(
        'Signatures (per 5 min)',
        [
          this.appMetric('SignaturesRecorded', { label: 'recorded (pending)' }),
          this.appMetric('SignatureRepeats', { label: 'repeats' }),
          this.appMetric('ConfirmationsCounted', { label: 'confirmed and counted' }),
        ],
        [this.appMetric('RateLimited', { label: 'rate limited' }), this.appMetric('HoneypotCaught', { label: 'honeypot' })],
        12,
      ),
      graph(
        'Counter batches: confirmations per CountConfirmations invocation',
        [
          this.appMetric('ConfirmationsCounted', { statistic: 'Average', label: 'average batch' }),
          this.appMetric('ConfirmationsCounted', { statistic: 'Maximum', label: 'largest batch' }),
        ],
        [this.appMetric('ConfirmationsCounted', { statistic: 'SampleCount', label: 'invocations' })],
        12,
      ),
    );
    this.dashboard.addWidgets(
      graph('Bulk email: urgent calls and digests (per 5 min)', [
        this.appMetric('EmailsSent', { label: 'sent' }),
        this.appMetric('EmailsFailed', { label: 'failed' }),
        this.appMetric('EmailsSkipped', { label: 'skipped (suppressed, unsubscribed)' }),
      ]),
      graph(
        'SES, whole account (per 5 min)',
        ['Send', 'Delivery', 'Bounce', 'Complaint', 'Reject'].map(
          (metricName) => new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Sum', period: fiveMinutes, label: metricName.toLowerCase() }),
        ),
      ),
      graph('SES reputation (bounce and complaint rates)', [bounceRate, complaintRate]),
    );
    this.dashboard.addWidgets(
      graph('Stream consumers: iterator age (ms, max)', iteratorAges),
      graph('Dead-letter queues: messages visible', queueDepths),
      graph('Count drift found by reconciliation', [drift]),
    );
    for (const [title, group] of functionGroups(props.functions)) {
      this.dashboard.addWidgets(
        graph(`${title}: errors`, group.map((fn) => fn.function.metricErrors({ statistic: 'Sum', period: fiveMinutes, label: fn.spec.name })), [], 12),
        graph(`${title}: throttles`, group.map((fn) => fn.function.metricThrottles({ statistic: 'Sum', period: fiveMinutes, label: fn.spec.name })), [], 12),
      );
    }
  }

  private appMetric(metricName: string, options: { statistic?: string; period?: Duration; label?: string } = {}): Metric {
    return new Metric({ ...appMetrics, metricName, statistic: 'Sum', period: fiveMinutes, ...options });
  }

  private alarm(
    id: string,
    name: string,
    options: { description: string; metric: IMetric; threshold: number; comparison: ComparisonOperator; evaluationPeriods?: number },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `tadamon-${this.stageName}-${name}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: options.comparison,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      // No data means nothing happened: no requests, no records, no sends.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}

function graph(title: string, left: IMetric[], right: IMetric[] = [], width = 8): GraphWidget {
  return new GraphWidget({ title, left, right, width, height: 6 });
}

/** Functions by what triggers them, for readable dashboard rows. */
function functionGroups(functions: readonly TadamonFunction[]): [string, TadamonFunction[]][] {
  const groups = new Map<string, TadamonFunction[]>();
  for (const fn of functions) {
    const first = fn.spec.triggers[0];
    const title =
      first?.type === 'http' ? (first.operator ? 'Operator API functions' : 'Public API functions') : first?.type === 'stream' ? 'Stream consumers' : 'Event and schedule functions';
    groups.set(title, [...(groups.get(title) ?? []), fn]);
  }
  return [...groups];
}
