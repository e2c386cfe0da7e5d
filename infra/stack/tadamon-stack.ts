import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, Duration, Fn, RemovalPolicy, SecretValue, Stack, type StackProps, Tags, TimeZone, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { AccountPrincipal, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type CfnFunction, FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { signatureSubmitted } from '#events/signature-submitted.ts';
import { deployedFunctions, manifest as defaultManifest, type FunctionSpec, type ScheduleTrigger } from '#infra/manifest.ts';
import { limitsTableDefinition, tableDefinition } from '#shared/store/table-definition.ts';
import { toAwsCron } from './cron.ts';
import { PublicApi } from './http-api.ts';
import { Mail } from './mail.ts';
import { type DeadLetterQueue, Monitoring } from './monitoring.ts';
import { Operators } from './operators.ts';
import { Queues } from './queues.ts';
import { Webhooks } from './webhooks.ts';
import { isAwsServicePattern, toRulePattern } from './rule-pattern.ts';
import type { DeploymentSettings } from './settings.ts';
import { FunctionStacks } from './function-stacks.ts';
import { TadamonFunction } from './tadamon-function.ts';
import { Edge } from './edge.ts';
import { edgeWebAclArn, needsFirewallStack } from './edge-firewall.ts';

export interface TadamonStackProps extends StackProps {
  settings: DeploymentSettings;
  /** Which functions to build and wire; the real manifest unless a test passes its own. */
  manifest?: readonly FunctionSpec[];
  /** The built widget script (widget/build.ts `buildWidget()`), served from S3 through CloudFront as `/widget.js`. */
  widgetScript: string;
}

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Retry budget for event and schedule deliveries before they land in the consumer's dead-letter queue. */
const asyncDelivery = { retryAttempts: 10, maxEventAge: Duration.hours(24) } as const;


/**
 * Tadamon on AWS, generated from the wiring manifest: one function per entry, each trigger wired as the
 * manifest says (HTTP route, table stream, event rule, schedule). Nothing here names a particular function.
 */
export class TadamonStack extends Stack {
  readonly functions = new Map<string, TadamonFunction>();
  readonly deadLetterQueues: DeadLetterQueue[] = [];
  readonly monitoring: Monitoring;
  readonly queues: Queues;

  constructor(scope: Construct, id: string, props: TadamonStackProps) {
    // A web ACL for CloudFront lives in us-east-1: a stack elsewhere reads its ARN across regions.
    super(scope, id, { ...props, crossRegionReferences: props.crossRegionReferences ?? needsFirewallStack(props.settings, props.env?.region) });
    const { settings } = props;
    const manifest = deployedFunctions(props.manifest ?? defaultManifest, settings.developmentRoutes);
    const prod = settings.retainData;
    const removalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = settings.logRetentionDays as RetentionDays;
    const schedules = scheduleOverrides(manifest, settings.schedules);
    warnAboutPlaceholders(this, settings);
    Tags.of(this).add('project', 'tadamon');
    Tags.of(this).add('stage', settings.stage);

    // Signers' data is dangerous data: one customer-managed key for the table, the secret and the queues.
    const key = new Key(this, 'DataKey', {
      description: `Tadamon ${settings.stage}: signers' data at rest`,
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(prod ? 30 : 7),
    });

    const table = new Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType[tableDefinition.streamView],
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: settings.pointInTimeRecoveryDays },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      deletionProtection: prod,
      removalPolicy,
      ...(settings.warmWriteUnitsPerSecond ? { warmThroughput: { writeUnitsPerSecond: settings.warmWriteUnitsPerSecond, readUnitsPerSecond: 12_000 } } : {}),
    });
    for (const index of tableDefinition.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...('projection' in index ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection] } : {}),
      });
    }

    // Counters that expire (abuse guard, mailbox caps, sending pace): written on every submission and send, so
    // kept off the streamed table. They hold HMACs and counts, nothing to restore: no backups, no customer key.
    const limitsTable = new Table(this, 'LimitsTable', {
      partitionKey: { name: limitsTableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: limitsTableDefinition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: limitsTableDefinition.timeToLiveAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(limitsTable).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason: 'Only counters that expire within a day (rate windows, mail caps, sending pace): nothing to recover.',
    });

    // Two secrets, so that functions which only page through public lists hold nothing that makes links or
    // recognises a person: each function gets the ones its manifest entry names.
    const secret = (id: string, holds: string, rotation: string) => {
      const made = new Secret(this, id, {
        description: `Tadamon ${settings.stage}: key of ${holds}`,
        encryptionKey: key,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy,
      });
      Validations.of(made).acknowledge({ id: 'AwsSolutions-SMG4', reason: rotation });
      return made;
    };
    const tokenSecret = secret(
      'TokenSecret',
      'links and identities (confirmation and unsubscribe links, dedupe keys, person index, IP and mailbox hashes)',
      'Rotating the HMAC key would void every outstanding confirmation link and email key; rotate by hand.',
    );
    const cursorSecret = secret(
      'CursorSecret',
      'list cursors',
      'A new cursor key only voids the cursors of lists being paged at that moment; rotate by hand (put-secret-value).',
    );

    const eventBus = new EventBus(this, 'EventBus', { eventBusName: `tadamon-${settings.stage}` });
    allowPartnerSignatures(eventBus, settings.partnerAccounts);
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    const mail = new Mail(this, 'Mail', {
      stage: settings.stage,
      senderEmail: settings.senderEmail,
      ...(settings.senderDomain ? { senderDomain: settings.senderDomain } : {}),
      ...(settings.mailFromSubdomain ? { mailFromSubdomain: settings.mailFromSubdomain } : {}),
    });
    const operators = new Operators(this, 'Operators', { stage: settings.stage, removalPolicy, deletionProtection: prod });
    const api = new PublicApi(this, 'HttpApi', {
      stage: settings.stage,
      allowedOrigins: settings.allowedOrigins,
      throttle: settings.throttle,
      signingThrottle: settings.signingThrottle,
      operatorAuthorizer: operators.authorizer,
      removalPolicy,
      logRetention,
    });

    // One CloudFront distribution in front of the API and the widget. Its construct keeps the id it had when it
    // served the widget alone: the distribution keeps its logical id, so it is updated in place and keeps the
    // domain embedders already link.
    const webAclArn = edgeWebAclArn(this, settings);
    // The random part of this stack's id (this.stackId, not the pseudo parameter, which a nested stack would
    // read as its own): stable for the stack's life, known only inside the account, free.
    const edgeSecret = Fn.select(2, Fn.split('/', this.stackId));
    const edge = new Edge(this, 'Widget', {
      stage: settings.stage,
      script: props.widgetScript,
      removalPolicy,
      autoDeleteObjects: !prod,
      api: api.api,
      routes: manifest.flatMap((spec) => spec.triggers.flatMap((trigger) => (trigger.type === 'http' && trigger.route ? [trigger.route] : []))),
      allowedOrigins: settings.allowedOrigins,
      ...(webAclArn ? { webAclArn } : {}),
      edgeSecret,
    });

    const environment = {
      TABLE_NAME: table.tableName,
      LIMITS_TABLE_NAME: limitsTable.tableName,
      PUBLIC_URL: settings.publicUrl ?? edge.url,
      ...(settings.campaignPageUrl ? { CAMPAIGN_PAGE_URL: settings.campaignPageUrl } : {}),
      MAIL_FROM: `${settings.senderName} <${settings.senderEmail}>`,
      SES_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      SES_RATE_PER_SECOND: String(settings.sesRatePerSecond),
      SENDER_IDENTITY: settings.senderName,
      ...(settings.operatorEmail ? { OPERATOR_EMAIL: settings.operatorEmail } : {}),
      EVENT_BUS_NAME: eventBus.eventBusName,
      ALLOWED_ORIGINS: settings.allowedOrigins.join(','),
      CONFIRMATION_TTL_DAYS: String(settings.confirmationTtlDays),
      RETENTION_DAYS_AFTER_CLOSE: String(settings.retentionDaysAfterClose),
      RATE_LIMIT_IP_BURST: settings.rateLimits.ipBurst,
      RATE_LIMIT_IP_SUSTAINED: settings.rateLimits.ipSustained,
      RATE_LIMIT_CAMPAIGN_BURST: settings.rateLimits.campaignBurst,
      RATE_LIMIT_CAMPAIGN_SUSTAINED: settings.rateLimits.campaignSustained,
      RATE_LIMIT_SOURCE_BURST: settings.rateLimits.sourceBurst,
      RATE_LIMIT_SOURCE_SUSTAINED: settings.rateLimits.sourceSustained,
      POWERTOOLS_SERVICE_NAME: 'tadamon',
      NODE_OPTIONS: '--enable-source-maps',
    };
    // Captcha only where the manifest says a function verifies it (the guarded submissions). shared/config.ts reads the site secret from the
    // environment, so CloudFormation resolves it from Secrets Manager at deploy time: the template and
    // cdk.out hold only the reference; the function's configuration holds the value.
    const { captcha } = settings;
    const captchaEnvironment: Record<string, string> = {
      // The guarded submissions limit and block by the viewer's address (shared/http/viewer-address.ts).
      EDGE_ORIGIN_SECRET: edgeSecret,
      CAPTCHA_PROVIDER: captcha.provider,
      ...(captcha.secretArn ? { CAPTCHA_SECRET: SecretValue.secretsManager(captcha.secretArn).unsafeUnwrap() } : {}),
    };
    // The demo page tells its widget which challenge to show (the provider and its public site key, no secret),
    // and loads the widget from where this deployment publishes it: no function builds it on AWS.
    const widgetPageEnvironment: Record<string, string> = {
      CAPTCHA_PROVIDER: captcha.provider,
      ...(captcha.siteKey ? { CAPTCHA_SITE_KEY: captcha.siteKey } : {}),
      WIDGET_URL: edge.widgetUrl,
    };
    const environmentOf = (spec: FunctionSpec): Record<string, string> => {
      if (spec.captcha === 'verifies') return { ...environment, ...captchaEnvironment };
      if (spec.captcha === 'shows') return { ...environment, ...widgetPageEnvironment };
      return environment;
    };

    // The work queues and the few dead-letter queues every trigger shares (infra/stack/queues.ts).
    const queues = (this.queues = new Queues(this, 'Queues', { key, manifest }));
    // Webhooks' rules, API destinations and connections are made at run time under this stage's prefix (webhooks.ts).
    const webhookDeadLetters = queues.queues.get('webhook-dead-letters');
    const webhooks = webhookDeadLetters
      ? new Webhooks(this, 'Webhooks', { stage: settings.stage, eventBusName: `tadamon-${settings.stage}`, deadLetters: queues.forRules(webhookDeadLetters) })
      : undefined;

    // EventBridge itself writes a rule's failed deliveries to its dead-letter queue, so it needs the queues' key.
    // Scoped to rules of this account; naming each rule's ARN here would make the key depend on the rules,
    // which depend on their queues, which depend on the key.
    let eventBridgeMayUseKey = false;
    const allowEventBridgeDeadLetters = () => {
      if (eventBridgeMayUseKey) return;
      eventBridgeMayUseKey = true;
      key.addToResourcePolicy(
        new PolicyStatement({
          sid: 'EventBridgeRuleDeadLetterQueues',
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'aws:SourceAccount': this.account },
            ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }) },
          },
        }),
      );
    };

    const functionStacks = new FunctionStacks(this, settings.stage);
    for (const spec of manifest) {
      const scope = functionStacks.scopeFor(spec);
      const fn = new TadamonFunction(scope, spec.name, {
        spec,
        projectRoot,
        environment: environmentOf(spec),
        removalPolicy,
        logRetention,
        resources: { table, limitsTable, eventBus, secrets: { links: tokenSecret, cursors: cursorSecret }, mailResources: [mail.identityArn, mail.configurationSetArn], connectorKeys: { namePrefix: `tadamon/${settings.stage}/`, key } },
      });
      this.functions.set(spec.name, fn);
      queues.connect(fn);
      webhooks?.connect(fn);

      // Rules and schedules invoke asynchronously: their own retries and dead-letter queue cover delivery, and
      // once Lambda has accepted an event a failing handler is Lambda's to retry. Both end in one queue.
      let asyncFailures: Queue | undefined;
      const asyncFailureQueue = (): Queue => {
        if (!asyncFailures) {
          // A rule's dead letter is the event itself, and Lambda's on-failure record carries it as requestPayload.
          asyncFailures = queues.asyncFailures(spec.eventsCarryAddresses === true);
          fn.function.configureAsyncInvoke({
            onFailure: new SqsDestination(asyncFailures),
            retryAttempts: 2,
            maxEventAge: Duration.hours(6),
          });
          fn.acknowledgeDataKeyWildcards(); // the function's role sends to the encrypted queue
        }
        return asyncFailures;
      };

      spec.triggers.forEach((trigger, i) => {
        const suffix = spec.triggers.length > 1 ? String(i + 1) : '';
        switch (trigger.type) {
          case 'http':
            api.addRoute(`${spec.name}Route${suffix}`, trigger, fn.function, scope);
            break;

          case 'stream': {
            const failures = queues.streamFailures();
            fn.function.addEventSource(
              new DynamoEventSource(table, {
                startingPosition: StartingPosition.TRIM_HORIZON,
                batchSize: trigger.batchSize,
                maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
                retryAttempts: trigger.retryAttempts,
                bisectBatchOnError: trigger.bisectOnError,
                parallelizationFactor: trigger.parallelizationFactor,
                maxRecordAge: Duration.seconds(trigger.maxRecordAgeSeconds),
                reportBatchItemFailures: true,
                filters: trigger.filters.map((pattern) => FilterCriteria.filter(pattern)),
                onFailure: new SqsDlq(failures),
              }),
            );
            fn.acknowledgeDataKeyWildcards(); // sending to the encrypted queue
            break;
          }

          case 'event': {
            const bus: IEventBus = isAwsServicePattern(trigger.pattern) ? defaultBus : eventBus;
            const failures = asyncFailureQueue();
            new Rule(fn, `EventRule${suffix}`, {
              eventBus: bus,
              eventPattern: toRulePattern(mail.ownEventsOnly(trigger.pattern)),
              description: `${spec.name}: ${JSON.stringify(trigger.pattern)}`.slice(0, 512),
              targets: [new LambdaFunction(fn.function, { deadLetterQueue: queues.forRules(failures), ...asyncDelivery })],
            });
            allowEventBridgeDeadLetters();
            break;
          }

          case 'schedule': {
            const cron = schedules.get(trigger) ?? trigger.cron;
            const failures = asyncFailureQueue();
            const role = new Role(fn, `ScheduleRole${suffix}`, { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
            key.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
            new Schedule(fn, `Schedule${suffix}`, {
              description: `${spec.name}: ${cron} (UTC)`,
              schedule: ScheduleExpression.expression(`cron(${toAwsCron(cron)})`, TimeZone.ETC_UTC),
              target: new LambdaInvoke(fn.function, { role, deadLetterQueue: failures, ...asyncDelivery }),
            });
            Validations.of(role).acknowledge({
              id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.function.node.defaultChild as CfnFunction)}.Arn>:*]`,
              reason: "CDK's invoke grant covers this one function's versions and aliases (`<arn>:*`), nothing else.",
            });
            break;
          }

          case 'queue':
            queues.consume(fn, trigger, settings.sesRatePerSecond);
            break;
        }
      });
    }
    this.deadLetterQueues.push(...queues.deadLetterQueues);
    // Every dead-letter queue exists now: the functions that read them get each one's URL and grant.
    for (const fn of this.functions.values()) queues.openDeadLetters(fn, this.functions.values(), table.tableStreamArn);

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: settings.stage,
      full: prod,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
      api: api.api,
      functions: [...this.functions.values()],
      deadLetterQueues: this.deadLetterQueues,
      description: `Tadamon ${settings.stage}: alarms, their topic and the dashboard`,
    });

    new CfnOutput(this, 'PublicUrl', { value: environment.PUBLIC_URL, description: 'Base URL of the public API and of links in mail (the CloudFront distribution unless the stage sets publicUrl)' });
    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'The HTTP API itself, behind the distribution (no cache, no firewall)' });
    new CfnOutput(this, 'UserPoolId', { value: operators.userPool.userPoolId, description: 'Operators user pool' });
    new CfnOutput(this, 'UserPoolClientId', { value: operators.client.userPoolClientId, description: 'Operator CLI app client' });
    new CfnOutput(this, 'WidgetUrl', { value: edge.widgetUrl, description: 'The embeddable widget script; it talks to the API on the same distribution' });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'LimitsTableName', { value: limitsTable.tableName });
    new CfnOutput(this, 'EventBusName', { value: eventBus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: eventBus.eventBusArn, description: 'Where partner accounts put SignatureSubmitted events (EventBusName in their PutEvents entries)' });
    new CfnOutput(this, 'TokenSecretArn', { value: tokenSecret.secretArn });
    new CfnOutput(this, 'CursorSecretArn', { value: cursorSecret.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn, description: 'SNS topic every alarm notifies' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/tadamon-${settings.stage}`,
      description: 'CloudWatch dashboard',
    });
    mail.dnsRecords.forEach((record, i) => {
      new CfnOutput(this, `SenderDnsRecord${i + 1}`, {
        value: `${record.name} ${record.type} ${record.value}`,
        description: `DNS record to publish for the sender domain (${record.type === 'CNAME' ? 'Easy DKIM' : 'custom MAIL FROM'})`,
      });
    });
  }
}

/**
 * Lets the stage's partner accounts put `SignatureSubmitted` events on its bus, and nothing else: no other
 * detail type (`events:detail-type`), so a partner can never pose as Tadamon's own events (a milestone, an
 * urgent call); no rules or targets of theirs. The event's `account` is set by EventBridge, so the signatures
 * each sends are counted under its own account, whatever its detail says.
 */
function allowPartnerSignatures(bus: EventBus, accounts: readonly string[]): void {
  if (accounts.length === 0) return;
  bus.addToResourcePolicy(
    new PolicyStatement({
      sid: 'PartnerSignatures',
      principals: accounts.map((account) => new AccountPrincipal(account)),
      actions: ['events:PutEvents'],
      resources: [bus.eventBusArn],
      conditions: { StringEquals: { 'events:detail-type': signatureSubmitted } },
    }),
  );
}

/** The stage's schedule overrides, each pinned to the one schedule trigger of the function it names. */
function scheduleOverrides(manifest: readonly FunctionSpec[], overrides: Record<string, string>): Map<ScheduleTrigger, string> {
  const pinned = new Map<ScheduleTrigger, string>();
  for (const [name, cron] of Object.entries(overrides)) {
    const spec = manifest.find((candidate) => candidate.name === name);
    const triggers = spec?.triggers.filter((trigger): trigger is ScheduleTrigger => trigger.type === 'schedule') ?? [];
    if (triggers.length !== 1) throw new Error(`Schedule override for "${name}": the manifest has no function of that name with exactly one schedule`);
    pinned.set(triggers[0]!, cron);
  }
  return pinned;
}

/** Synth-time warnings for a data-keeping stage still on the offline defaults. */
function warnAboutPlaceholders(stack: Stack, settings: DeploymentSettings): void {
  if (!settings.retainData) return;
  const warn = (id: string, message: string) => Annotations.of(stack).addWarningV2(`tadamon:${id}`, message);
  if (settings.senderEmail.toLowerCase().endsWith('@example.org')) warn('placeholder-sender', `Stage ${settings.stage} sends from ${settings.senderEmail}: set senderEmail (and senderDomain).`);
  if (!settings.alarmEmail) warn('no-alarm-email', `Stage ${settings.stage} has no alarmEmail: alarms notify a topic nobody is subscribed to.`);
}
