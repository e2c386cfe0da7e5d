import { ArnFormat, Duration, NestedStack, type NestedStackProps, Stack, Validations } from 'aws-cdk-lib';
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
import { type CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterPattern, type ILogGroup, LogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StreamTrigger } from '#infra/manifest.ts';
import { unhandledErrorMetric } from '#shared/observability.ts';
import { Queues } from './queues.ts';
import type { TadamonFunction } from './tadamon-function.ts';

/** Where the handlers' Powertools metrics land (shared/observability.ts): namespace, and the default `service` dimension. */
export const appMetrics = { namespace: 'Tadamon', dimensionsMap: { service: 'tadamon' } } as const;

/** The metric an HTTP handler emits when it answers 500 for an error nobody handled (shared/http/handler.ts). */
export { unhandledErrorMetric };

/** The access-log metric of answers with status 429, whoever gave them (the gateway's throttle or the abuse guard). */
export const tooManyRequestsMetric = 'ApiTooManyRequests';

/** Every alarm's threshold, in one place (the runbook explains each). */
export const thresholds = {
  /** HTTP answers of 500 for an unhandled error in 5 minutes: every one is a bug or an outage. */
  unhandledErrors: 1,
  /** Failed invocations of any Lambda function in the account and region in 5 minutes. */
  functionErrors: 1,
  /** API 5xx answers in 5 minutes, counted, not a rate: a quiet month has too few requests for a rate to mean anything. */
  apiServerErrors: 5,
  /** Requests the API's own throttles refused (429s less the abuse guard's) in 5 minutes. */
  apiThrottledRequests: 10,
  /** DynamoDB read and write throttle events on a table and its indexes in 5 minutes. */
  tableThrottleEvents: 1,
  /** Throttled Lambda invocations in the account and region in 5 minutes (paced functions' own throttles excepted). */
  throttles: 1,
  /** Age of the oldest record a stream consumer read, for 3 minutes in a row. */
  iteratorAgeSeconds: 60,
  /**
   * A paced consumer (reserved concurrency: the SES sender) falls behind by design during a large send; alarm
   * when a backlog is deep enough to threaten its records' maximum age (they go to the dead-letter queue then).
   */
  pacedIteratorAgeSeconds: 3600,
  /**
   * Age of the oldest message waiting on a work queue: a confirmation mail should leave within minutes (the
   * signer is waiting for it); a bulk send may take a day at a low SES rate, but never the queue's retention.
   */
  queueAgeSeconds: { 'confirmation-mail': 15 * 60, 'bulk-mail': 3 * 24 * 3600, other: 3600 },
  /** SES account reputation (fractions, as SES publishes them): AWS reviews an account from 5 % bounces and 0.1 % complaints. */
  sesBounceRate: 0.05,
  sesComplaintRate: 0.001,
} as const;

/** CloudWatch's limit on the metrics one alarm may read. */
const metricsPerAlarm = 10;
/** CloudWatch's free dashboards (3 per account) are free only up to this many metrics each. */
export const freeDashboardMetrics = 50;

export interface DeadLetterQueue {
  queue: IQueue;
  /** The manifest function whose failures it holds. */
  functionName: string;
  /** `stream`: records an event source mapping gave up on; `async`: rule, schedule or async-invoke failures. */
  source: 'stream' | 'async';
}

export interface MonitoringProps extends NestedStackProps {
  stage: string;
  /**
   * Every alarm (a stage that keeps signers' data), or only the two that cover every failure at the lowest
   * fixed cost: unhandled HTTP errors and failed invocations.
   */
  full: boolean;
  alarmEmail?: string;
  api: IHttpApi;
  functions: readonly TadamonFunction[];
  deadLetterQueues: readonly DeadLetterQueue[];
}

const fiveMinutes = Duration.minutes(5);
const oneMinute = Duration.minutes(1);

/**
 * Alarms, their topic and the dashboard, in a nested stack of their own (the main stack's 500-resource budget
 * belongs to functions and routes). Every alarm notifies the topic when it fires and when it recovers.
 *
 * Cost shapes it (docs/operating.md has the table): every alarm metric is $0.10 a month, so there is no alarm
 * per function. HTTP handlers answer 500 instead of failing, so their Lambda `Errors` can never fire; they count
 * `UnhandledError` instead, and one account-wide `Errors` alarm covers every failed invocation (stream, event,
 * schedule, queue, and HTTP timeouts). The dashboard stays within the free allowance of 50 metrics.
 */
export class Monitoring extends NestedStack {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  private readonly stageName: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id, props);
    this.stageName = props.stage;
    const parent = Stack.of(scope);

    // No customer-managed key: notifications carry alarm names and metric values, never signers' data, and a
    // key would be a third of dev's whole fixed budget ($1 of $2). SNS's AWS-managed key is no option:
    // CloudWatch cannot use it (its policy cannot be changed), so alarms would be dropped.
    this.topic = new Topic(this, 'AlarmTopic', {
      topicName: `tadamon-${props.stage}-alarms`,
      displayName: `Tadamon ${props.stage} alarms`,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, which let the account's own principals publish; CloudWatch
    // needs its own statement, limited to this account's alarms of this stage (no confused deputy).
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `tadamon-${props.stage}-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: "Alarm notifications hold no personal data; a customer-managed key costs $1 a month and SNS's AWS-managed key cannot be used by CloudWatch.",
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);

    const headline: Alarm[] = [];

    // Every failure, at the lowest cost: what HTTP handlers caught and answered 500 for, and every failed invocation.
    const unhandled = this.appMetric(unhandledErrorMetric, { label: 'HTTP 500, unhandled error' });
    const accountErrors = new Metric({ namespace: 'AWS/Lambda', metricName: 'Errors', statistic: 'Sum', period: fiveMinutes, label: 'failed invocations (account)' });
    headline.push(
      this.alarm('UnhandledErrors', 'unhandled-errors', {
        description: 'An HTTP handler answered 500 for an error nobody handled; the log line "unhandled error" names the route.',
        metric: unhandled,
        threshold: thresholds.unhandledErrors,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      }),
      this.alarm('FunctionErrors', 'function-errors', {
        description:
          'A Lambda invocation in this account and region failed (a stream, event, schedule or queue consumer threw, or a function timed out or ran out of memory).',
        metric: accountErrors,
        threshold: thresholds.functionErrors,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      }),
    );

    const { api } = props;
    const requests = api.metricCount({ statistic: 'Sum', period: fiveMinutes, label: 'requests' });
    const clientErrors = api.metricClientError({ period: fiveMinutes, label: '4xx' });
    const serverErrors = api.metricServerError({ period: fiveMinutes, label: '5xx' });
    const tooMany = new Metric({ namespace: appMetrics.namespace, metricName: tooManyRequestsMetric, statistic: 'Sum', period: fiveMinutes, label: '429 (all)' });
    const guardRefused = this.appMetric('RateLimited', { label: '429 from the abuse guard' });
    const gatewayThrottled = new MathExpression({
      // The access log sees every 429; the abuse guard counts its own. What is left, the API's throttles refused.
      expression: 'MAX([0, FILL(answered, 0) - FILL(guard, 0)])',
      usingMetrics: { answered: tooMany, guard: guardRefused },
      period: fiveMinutes,
      label: '429 from API throttles',
    });

    const tableThrottles: { title: string; metrics: IMetric[] }[] = [];
    const iteratorAges: IMetric[] = [];
    const queueDepths: IMetric[] = [];
    const queueAges: IMetric[] = [];
    const drift = this.appMetric('CountDriftFound', { period: Duration.hours(1), label: 'campaigns with drift' });
    const bounceRate = new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate', statistic: 'Maximum', period: Duration.hours(1), label: 'bounce rate' });
    const complaintRate = new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.ComplaintRate', statistic: 'Maximum', period: Duration.hours(1), label: 'complaint rate' });

    if (props.full) {
      headline.push(
        this.alarm('ApiServerErrors', 'api-5xx', {
          description: `The API answered at least ${thresholds.apiServerErrors} requests with 5xx in 5 minutes (unhandled errors, timeouts, or Lambda refusing the API).`,
          metric: serverErrors,
          threshold: thresholds.apiServerErrors,
          comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        }),
      );

      // HTTP APIs publish no metric of throttled requests: count 429s in the access log (no default value, so
      // the metric costs nothing until a 429 happens) and take away the abuse guard's own.
      new MetricFilter(this, 'TooManyRequests', {
        logGroup: accessLogsOf(api),
        filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
        metricNamespace: appMetrics.namespace,
        metricName: tooManyRequestsMetric,
        metricValue: '1',
      });
      headline.push(
        this.alarm('ApiThrottled', 'api-throttled', {
          description: `The API's own throttles refused at least ${thresholds.apiThrottledRequests} requests in 5 minutes (answers of 429 not given by the abuse guard): real traffic above the stage throttle.`,
          metric: gatewayThrottled,
          threshold: thresholds.apiThrottledRequests,
          comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        }),
      );

      // DynamoDB throttling, table and indexes together: a throttled index throttles the table's writes.
      // On-demand tables emit Read/WriteThrottleEvents per table and per index (TableName, GlobalSecondaryIndexName);
      // the table's own count leaves out its indexes' events, so each index is read separately.
      for (const { table, name, indexes } of tablesOf(parent)) {
        const events: Record<string, IMetric> = {};
        for (const [i, index] of [undefined, ...indexes].entries()) {
          // Index reads are list pages and exports, retried by their callers; index writes hold up the table's.
          for (const kind of index ? (['Write'] as const) : (['Read', 'Write'] as const)) {
            events[`${kind.toLowerCase()}${i}`] = table.metric(`${kind}ThrottleEvents`, {
              statistic: 'Sum',
              period: fiveMinutes,
              label: `${kind.toLowerCase()}s${index ? ` ${index}` : ''}`,
              ...(index ? { dimensionsMap: { TableName: table.tableName, GlobalSecondaryIndexName: index } } : {}),
            });
          }
        }
        if (Object.keys(events).length > metricsPerAlarm) throw new Error(`Table ${name}: ${indexes.length} indexes are more than one throttle alarm can watch`);
        tableThrottles.push({ title: name, metrics: Object.values(events) });
        headline.push(
          this.alarm(`TableThrottles${name}`, `${kebab(name)}-throttles`, {
            description: `DynamoDB throttled reads or writes on the ${name} table, or writes to one of its indexes (${indexes.join(', ') || 'none'}), in the last 5 minutes.`,
            metric: new MathExpression({ expression: `SUM([${Object.keys(events).map((key) => `FILL(${key}, 0)`).join(', ')}])`, usingMetrics: events, period: fiveMinutes, label: `${name}: throttle events` }),
            threshold: thresholds.tableThrottleEvents,
            comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          }),
        );
      }

      // Stream consumers: how far behind each one reads.
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

      // Work queues (mail): how long the oldest message has waited.
      for (const [name, queue] of workQueuesOf(parent)) {
        const seconds = thresholds.queueAgeSeconds[name as keyof typeof thresholds.queueAgeSeconds] ?? thresholds.queueAgeSeconds.other;
        const age = queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: fiveMinutes, label: name });
        queueAges.push(age);
        const pascal = name.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());
        headline.push(
          this.alarm(`QueueAge${pascal}`, `${name}-queue-age`, {
            description: `The oldest message on the ${name} queue has waited more than ${seconds} s: its consumer is failing, throttled or paced below the arrival rate.`,
            metric: age,
            threshold: seconds,
            comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
          }),
        );
      }

      // SES reputation, account-wide in this region (AWS publishes and enforces it per account, not per configuration set).
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

      // Throttling, aggregated: functions without reserved concurrency are throttled only when the account's
      // concurrency pool (shared by every function in the account and region) runs dry, so the account-wide
      // metric says it with one alarm metric instead of one alarm per function. A paced function (reserved
      // concurrency) throttles by design; its own throttles are taken out, and its backlog has an alarm above.
      const paced = props.functions.filter((fn) => fn.spec.reservedConcurrency !== undefined);
      if (paced.length > metricsPerAlarm - 1) throw new Error(`An alarm reads at most ${metricsPerAlarm} metrics: too many functions with reserved concurrency`);
      const pacedThrottles = Object.fromEntries(paced.map((fn, i) => [`paced${i}`, fn.function.metricThrottles({ statistic: 'Sum', period: fiveMinutes })]));
      const accountThrottles = new Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', statistic: 'Sum', period: fiveMinutes, label: 'throttles' });
      headline.push(
        this.alarm('LambdaThrottles', 'lambda-throttles', {
          description:
            'Lambda throttled invocations in this account and region in the last 5 minutes' +
            (paced.length ? ` (not counting ${paced.map((fn) => fn.spec.name).join(', ')}, throttled by design)` : '') +
            ': the concurrency pool is exhausted.',
          metric: new MathExpression({
            expression: ['account', ...Object.keys(pacedThrottles).map((key) => `FILL(${key}, 0)`)].join(' - '),
            usingMetrics: { account: accountThrottles, ...pacedThrottles },
            period: fiveMinutes,
            label: `throttles (account-wide${paced.length ? `, without ${paced.map((fn) => fn.spec.name).join(', ')}` : ''})`,
          }),
          threshold: thresholds.throttles,
          comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        }),
      );
    }

    // One dashboard within the free allowance (50 metrics): what a human needs to see first. Per-function
    // detail is one query away (docs/operating.md), not 100 metrics on a paid dashboard.
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `tadamon-${props.stage}`, defaultInterval: Duration.hours(24) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Tadamon ${props.stage}\nAlarms notify the SNS topic \`tadamon-${props.stage}-alarms\`; what each means and what to do is in docs/operating.md (the runbook). Application metrics: namespace \`Tadamon\`, dimension \`service=tadamon\`.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: headline, width: 24, height: 4 }));
    this.dashboard.addWidgets(
      graph('API requests and errors (per 5 min)', [requests, clientErrors, serverErrors], props.full ? [gatewayThrottled] : [], 12),
      graph('API latency (ms)', [api.metricLatency({ statistic: 'p50', period: fiveMinutes, label: 'p50' }), api.metricLatency({ statistic: 'p99', period: fiveMinutes, label: 'p99' })], [], 12),
    );
    this.dashboard.addWidgets(
      graph(
        'Signatures (per 5 min)',
        [
          this.appMetric('SignaturesRecorded', { label: 'recorded (pending)' }),
          this.appMetric('SignatureRepeats', { label: 'repeats' }),
          this.appMetric('ConfirmationsCounted', { label: 'confirmed and counted' }),
        ],
        [guardRefused, this.appMetric('HoneypotCaught', { label: 'honeypot' })],
        12,
      ),
      graph('Failures (per 5 min)', [unhandled, accountErrors], [new Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', statistic: 'Sum', period: fiveMinutes, label: 'throttles (account)' })], 12),
    );
    this.dashboard.addWidgets(
      graph('Email (per 5 min)', [
        this.appMetric('EmailsSent', { label: 'bulk sent' }),
        this.appMetric('EmailsFailed', { label: 'bulk failed' }),
        this.appMetric('EmailsSkipped', { label: 'bulk skipped (suppressed, unsubscribed)' }),
        new Metric({ namespace: 'AWS/SES', metricName: 'Send', statistic: 'Sum', period: fiveMinutes, label: 'SES sends (account)' }),
      ]),
      graph('SES reputation (bounce and complaint rates)', [bounceRate, complaintRate]),
      graph('Count drift found by reconciliation', [drift]),
    );
    if (props.full) {
      this.dashboard.addWidgets(
        graph('Stream consumers: iterator age (ms, max)', iteratorAges),
        graph('Dead-letter queues: messages visible', queueDepths),
        graph('Work queues: age of the oldest message (s)', queueAges),
        ...tableThrottles.map(({ title, metrics }) => graph(`DynamoDB ${title}: throttle events`, metrics)),
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

/** The HTTP API's access log group (infra/stack/http-api.ts makes it beside the API, as `AccessLogs`). */
function accessLogsOf(api: IHttpApi): ILogGroup {
  const found = api.node.scope?.node.tryFindChild('AccessLogs');
  if (!(found instanceof LogGroup)) throw new Error('The HTTP API has no AccessLogs log group beside it: the 429 metric filter needs it');
  return found;
}

/** The stack's work queues (infra/stack/queues.ts), by name; none before the stack has any. */
function workQueuesOf(stack: Stack): [string, IQueue][] {
  const holder = stack.node.findAll().find((construct): construct is Queues => construct instanceof Queues);
  return holder ? [...holder.queues.entries()] : [];
}

/** Every DynamoDB table of the stack, with the names of its global secondary indexes as they stand. */
function tablesOf(stack: Stack): { table: Table; name: string; indexes: string[] }[] {
  return stack.node
    .findAll()
    .filter((construct): construct is Table => construct instanceof Table)
    .map((table) => {
      const cfn = table.node.defaultChild as CfnTable;
      const resolved = stack.resolve(cfn.globalSecondaryIndexes) as { indexName?: string; IndexName?: string }[] | undefined;
      return { table, name: table.node.id, indexes: (resolved ?? []).map((index) => index.indexName ?? index.IndexName ?? '').filter(Boolean) };
    });
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
