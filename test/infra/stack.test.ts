import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions, httpRoutes, manifest as everyFunction, type FunctionSpec, type StreamTrigger } from '#infra/manifest.ts';
import { limitsTableDefinition, tableDefinition } from '#shared/store/table-definition.ts';
import { toAwsCron } from '#infra/stack/cron.ts';
import type { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { functionLogicalId, manifestFunctions, synth } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

/** What dev and prod deploy by default: every function but the development routes. */
const manifest = deployedFunctions(everyFunction, false);
const developmentFunctions = everyFunction.filter((spec) => spec.development);

/** The statements of a manifest function's own role. */
function statementsOf(stack: TadamonStack, template: Template, name: string): Statement[] {
  const roleId = stack.getLogicalId(stack.functions.get(name)?.role.node.defaultChild as CfnRole);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);
// Table actions; a stream consumer's DescribeStream, GetRecords, GetShardIterator and ListStreams are its trigger's.
const tableActions = ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'ConditionCheckItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'DescribeTable'].map((a) => `dynamodb:${a}`);
const dynamoStatements = (statements: Statement[]) => statements.filter((s) => actionsOf(s).some((a) => tableActions.includes(a)));

function only(template: Template, type: string): Resource {
  const found = Object.values(template.findResources(type)) as Resource[];
  expect(found).toHaveLength(1);
  return found[0] as Resource;
}

/** The streamed table that holds the data (the limits table has no stream). */
function mainTable(template: Template): Resource {
  const found = (Object.values(template.findResources('AWS::DynamoDB::Table')) as Resource[]).filter((table) => table.Properties.StreamSpecification);
  expect(found).toHaveLength(1);
  return found[0] as Resource;
}

describe('the stack generated from the manifest (dev)', () => {
  let stack: TadamonStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synth({ stage: 'dev' }));
  });

  it('has one function per manifest entry: nodejs24.x, arm64, untraced, sized as the manifest says', () => {
    expect(manifestFunctions(template)).toHaveLength(manifest.length);
    expect(JSON.stringify(template.toJSON().Resources)).not.toContain('xray:');
    for (const spec of manifest) {
      const fn = template.toJSON().Resources[functionLogicalId(stack, spec.name)] as Resource;
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: spec.memoryMb ?? 512,
        Timeout: spec.timeoutSeconds ?? 10,
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(new RegExp(`^${spec.name}Logs`)) } },
      });
      // No X-Ray (docs/operating.md says why): no tracing config, and so no X-Ray permission in any role.
      expect(fn.Properties.TracingConfig).toBeUndefined();
      expect(fn.Properties.ReservedConcurrentExecutions).toBe(spec.reservedConcurrency);
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining(['TABLE_NAME', 'PUBLIC_URL', 'MAIL_FROM', 'EVENT_BUS_NAME', 'SES_CONFIGURATION_SET', 'POWERTOOLS_SERVICE_NAME', 'NODE_OPTIONS', 'SES_RATE_PER_SECOND', 'SENDER_IDENTITY']),
      );
      // What shared/config.ts reads that a stage decides (infra/stages.ts), passed to every function.
      expect(env).toMatchObject({
        ALLOWED_ORIGINS: '*',
        CONFIRMATION_TTL_DAYS: '7',
        RETENTION_DAYS_AFTER_CLOSE: '30',
        RATE_LIMIT_IP_BURST: '20/10',
        RATE_LIMIT_IP_SUSTAINED: '500/3600',
        RATE_LIMIT_CAMPAIGN_BURST: '25000/10',
        RATE_LIMIT_CAMPAIGN_SUSTAINED: '9000000/3600',
      });
      expect(env).not.toHaveProperty('CAPTCHA_SECRET');
      expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
      // Without a publicUrl in context, links point at the CloudFront distribution in front of the API.
      expect(env.PUBLIC_URL).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^WidgetDistribution/), 'DomainName'] }]] });
      expect(env).not.toHaveProperty('TOKEN_SECRET');
      expect(env).not.toHaveProperty('CURSOR_SECRET');
      // Each secret's ARN only where the manifest entry names it: shared/config.ts reads what it is given.
      if (spec.secrets?.includes('links')) expect(env.TOKEN_SECRET_ARN, spec.name).toEqual({ Ref: expect.stringMatching(/^TokenSecret/) });
      else expect(env, spec.name).not.toHaveProperty('TOKEN_SECRET_ARN');
      if (spec.secrets?.includes('cursors')) expect(env.CURSOR_SECRET_ARN, spec.name).toEqual({ Ref: expect.stringMatching(/^CursorSecret/) });
      else expect(env, spec.name).not.toHaveProperty('CURSOR_SECRET_ARN');
    }
  });

  it("gives every function its own log group, and every log group the stage's retention (dev: a week)", () => {
    const groups = Object.entries(template.findResources('AWS::Logs::LogGroup'));
    for (const spec of manifest) {
      const group = groups.find(([id]) => id.startsWith(`${spec.name}Logs`));
      expect(group?.[1].Properties, spec.name).toMatchObject({ RetentionInDays: 7 });
    }
    expect(groups).toHaveLength(manifest.length + 1); // and the API's access logs
    for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBe(7);
    // No group left to Lambda's implicit, never-expiring default.
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  it('routes every manifest HTTP trigger, with the JWT authorizer on operator routes and only there', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Resource[];
    const deployedRoutes = httpRoutes().filter(({ spec }) => !spec.development);
    expect(routes).toHaveLength(deployedRoutes.length);
    for (const { spec, trigger } of deployedRoutes) {
      const routeKey = trigger.path === '/$default' ? '$default' : `${trigger.method} ${trigger.path}`;
      const route = routes.find((r) => r.Properties.RouteKey === routeKey);
      expect(route, `${spec.name}: ${routeKey}`).toBeDefined();
      if (trigger.operator) {
        expect(route?.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: expect.any(String) } });
      } else {
        expect(route?.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(route?.Properties.AuthorizerId).toBeUndefined();
      }
      const target = JSON.stringify(route?.Properties.Target);
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
      const integrationId = Object.keys(integrations).find((id) => target.includes(id));
      expect(JSON.stringify(integrations[integrationId ?? '']?.Properties)).toContain(functionLogicalId(stack, spec.name));
    }
  });

  it('authorizes operators with Cognito JWTs from the operator app client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: Match.stringLikeRegexp('CliClient') }], Issuer: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: Match.objectLike({ RequireSymbols: true, RequireUppercase: true, RequireNumbers: true }) },
    });
  });

  it('uses payload 2.0 Lambda proxy integrations and a throttled, access-logged $default stage', () => {
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration')) as Resource[];
    for (const integration of integrations) {
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['*'] }),
    });
  });

  it('wires each stream trigger with the manifest batch settings, filters and a dead-letter queue', () => {
    // Queue mappings are test/infra/queues.test.ts's.
    const mappings = (Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Resource[]).filter((m) =>
      JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn'),
    );
    const streamed = manifest.flatMap((spec) =>
      spec.triggers.filter((t): t is StreamTrigger => t.type === 'stream').map((trigger) => ({ spec, trigger })),
    );
    expect(mappings).toHaveLength(streamed.length);
    for (const { spec, trigger } of streamed) {
      const mapping = mappings.find((m) => JSON.stringify(m.Properties.FunctionName).includes(functionLogicalId(stack, spec.name)));
      expect(mapping, spec.name).toBeDefined();
      expect(mapping?.Properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'StreamArn'] },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: trigger.batchSize,
        MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds,
        MaximumRetryAttempts: trigger.retryAttempts,
        BisectBatchOnFunctionError: true,
        ParallelizationFactor: trigger.parallelizationFactor,
        MaximumRecordAgeInSeconds: trigger.maxRecordAgeSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FilterCriteria: { Filters: trigger.filters.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) },
        // One dead-letter queue for every stream mapping: Lambda's failure record names the mapping.
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/^QueuesStreamFailures/), 'Arn'] } } },
      });
    }
  });

  it('wires every manifest event trigger to a rule and every schedule to an EventBridge Scheduler schedule', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as Resource[];
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Resource[];
    const triggers = manifest.flatMap((spec) => spec.triggers.map((trigger) => ({ spec, trigger })));
    const events = triggers.filter(({ trigger }) => trigger.type === 'event');
    const crons = triggers.filter(({ trigger }) => trigger.type === 'schedule');
    expect(rules).toHaveLength(events.length);
    expect(schedules).toHaveLength(crons.length);
    for (const { spec, trigger } of events) {
      if (trigger.type !== 'event') continue;
      const rule = rules.find((r) => JSON.stringify(r.Properties.Targets).includes(functionLogicalId(stack, spec.name)));
      // SES events of other configuration sets share the default bus: the deployed rule takes this stage's only.
      const ses = (trigger.pattern.source as string[] | undefined)?.includes('aws.ses');
      expect(rule?.Properties.EventPattern, spec.name).toEqual(ses ? { ...trigger.pattern, detail: { mail: { tags: { 'ses:configuration-set': ['tadamon-dev'] } } } } : trigger.pattern);
      expect(rule?.Properties.Targets).toMatchObject([{ DeadLetterConfig: { Arn: expect.anything() }, RetryPolicy: expect.anything() }]);
    }
    for (const { spec, trigger } of crons) {
      if (trigger.type !== 'schedule') continue;
      const schedule = schedules.find((r) => JSON.stringify(r.Properties.Target).includes(functionLogicalId(stack, spec.name)));
      expect(schedule?.Properties, spec.name).toMatchObject({
        ScheduleExpression: `cron(${toAwsCron(trigger.cron)})`,
        ScheduleExpressionTimezone: 'Etc/UTC',
        Target: { DeadLetterConfig: { Arn: expect.anything() }, RetryPolicy: expect.anything() },
      });
    }
  });

  it('keeps failed deliveries 14 days in KMS-encrypted, TLS-only queues; those that hold addresses 3 days', () => {
    const queues = Object.entries(template.findResources('AWS::SQS::Queue')) as [string, Resource][];
    expect(queues.length).toBeGreaterThan(0);
    // Events that carry addresses share a dead-letter queue of their own.
    expect(manifest.filter((spec) => spec.eventsCarryAddresses).map((spec) => spec.name)).toEqual(['SuppressAddresses', 'RecordSubmittedSignature']);
    const addressBearing = ['QueuesAddressEventFailures'];
    for (const [id, queue] of queues) {
      // SES bounce and complaint events, and signatures submitted as events, are the dead letters themselves, addresses and all.
      const days = addressBearing.some((prefix) => id.startsWith(prefix)) ? 3 : 14;
      expect(queue.Properties, id).toMatchObject({
        MessageRetentionPeriod: days * 24 * 3600,
        KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] },
      });
    }
    expect(queues.filter(([id]) => id.startsWith('QueuesAddressEventFailures'))).toHaveLength(1);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('keeps counters that expire in a table of their own, on no stream, granted only to the functions that count in it', () => {
    const tables = Object.entries(template.findResources('AWS::DynamoDB::Table')) as [string, Resource][];
    const limits = tables.filter(([, table]) => !table.Properties.StreamSpecification);
    expect(limits).toHaveLength(1);
    const [limitsId, limitsTable] = limits[0]!;
    expect(limitsTable.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: limitsTableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: limitsTableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: limitsTableDefinition.timeToLiveAttribute, Enabled: true },
    });
    expect(limitsTable.Properties.GlobalSecondaryIndexes).toBeUndefined();
    for (const spec of manifest) {
      const reaches = statementsOf(stack, template, spec.name).some((statement) => JSON.stringify(statement.Resource).includes(limitsId));
      expect(reaches, spec.name).toBe(spec.limits === true);
    }
  });

  it('builds the table from the shared table definition', () => {
    const table = mainTable(template);
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] } },
    });
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(
      tableDefinition.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        // The sparse index of uncounted confirmations carries only what counting needs.
        Projection: 'projection' in index ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] } : { ProjectionType: 'ALL' },
      })),
    );
    const attributes = table.Properties.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
    const keys = [tableDefinition.partitionKey, tableDefinition.sortKey, ...tableDefinition.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    expect(attributes.map((a) => a.AttributeName).sort()).toEqual([...keys].sort());
    expect(attributes.every((a) => a.AttributeType === 'S')).toBe(true);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('grants each function only what its manifest entry asks for', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    for (const spec of manifest) {
      const statements = statementsOf(stack, template, spec.name);
      const actions = statements.flatMap(actionsOf);
      expect(actions.includes('dynamodb:PutItem'), `${spec.name} writes`).toBe(spec.table === 'write');
      expect(actions.includes('dynamodb:GetItem'), `${spec.name} reads`).toBe(spec.table === 'read' || spec.table === 'write');
      expect(actions.includes('dynamodb:DescribeTable'), `${spec.name} describes the table`).toBe(spec.table === 'describe' || (!spec.items && spec.table !== undefined));
      expect(actions.includes('ses:SendRawEmail'), `${spec.name} mails`).toBe(spec.sendsEmail === true);
      expect(actions.includes('events:PutEvents'), `${spec.name} puts events`).toBe(spec.putsEvents === true);
      const secretReads = statements.filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue')).map((s) => JSON.stringify(s.Resource));
      expect(secretReads.some((r) => r.includes('"TokenSecret')), `${spec.name} reads the link secret`).toBe(spec.secrets?.includes('links') === true);
      expect(secretReads.some((r) => r.includes('"CursorSecret')), `${spec.name} reads the cursor secret`).toBe(spec.secrets?.includes('cursors') === true);
    }
    // Mail only through the configured identity and configuration set.
    const sesStatements = Object.values(policies)
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[])
      .filter((s) => JSON.stringify(s.Action).includes('ses:'));
    for (const statement of sesStatements) {
      const resources = JSON.stringify(statement.Resource);
      expect(resources).toContain(':identity/no-reply@example.org');
      expect(resources).toContain(':configuration-set/');
      expect(resources).not.toContain('"*"');
    }
  });

  it('has the custom event bus, the SES configuration set with bounces and complaints to the default bus, and outputs', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'tadamon-dev' });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        EventBridgeDestination: { EventBusArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':event-bus/default'])]) }) },
      },
    });
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    for (const output of ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'TableName']) template.hasOutput(output, {});
  });
});

describe('least privilege for signers\' data', () => {
  let stack: TadamonStack;
  let template: Template;
  const spec = (name: string): FunctionSpec => manifest.find((s) => s.name === name)!;

  beforeAll(() => {
    ({ stack, template } = synth({ stage: 'prod' }));
  });

  it('keeps the link secret (links, dedupe keys, the person index, IP hashes) from public reads and list pages', () => {
    const publicReads = ['Health', 'ListCampaigns', 'GetCampaign', 'GetCampaignCounts', 'ListSignatures', 'ListEndorsements', 'GetConfirmPage', 'GetFeed', 'GetOpenApi', 'NotFound', 'GetFrontPage', 'GetCampaignPage'];
    const operatorReads = ['AdminListCampaigns', 'AdminGetCampaign', 'AdminExportSignatures', 'AdminOffsetHistory', 'AdminListEndorsements', 'AdminGetOutreach', 'AdminListOutreach', 'AdminListBlocks'];
    for (const name of [...publicReads, ...operatorReads]) {
      const env = (template.toJSON().Resources[functionLogicalId(stack, name)] as Resource).Properties.Environment as { Variables: Record<string, unknown> };
      expect(env.Variables, name).not.toHaveProperty('TOKEN_SECRET_ARN');
      expect(JSON.stringify(statementsOf(stack, template, name)), name).not.toMatch(/"TokenSecret/);
    }
    // Those that do make links or recognise a person, and only those.
    const withLinks = manifest.filter((s) => s.secrets?.includes('links')).map((s) => s.name).sort();
    // Webhooks' signing secrets are sealed under a key derived from it: the routes that make and replay a delivery
    // and the signer open them.
    expect(withLinks).toEqual(['AdminCreateWebhook', 'AdminErasePerson', 'AdminReplayWebhookDelivery', 'AnonymiseClosedCampaigns', 'Confirm', 'CreateEndorsement', 'CreateSignature', 'CreateSubscription', 'GetPreferencesPage', 'GetUnsubscribePage', 'RecordSubmittedSignature', 'RequestErasure', 'SendConfirmations', 'SendOutreach', 'SignByForm', 'SignWebhookDeliveries', 'SuppressAddresses', 'Unsubscribe', 'UpdatePreferences']);
  });

  it('makes a second secret for cursors, under the same data key, kept like the first', () => {
    const secrets = Object.entries(template.findResources('AWS::SecretsManager::Secret')) as [string, Resource][];
    expect(secrets.map(([id]) => id.replace(/[A-F0-9]{8}$/, '')).sort()).toEqual(['CursorSecret', 'TokenSecret']);
    for (const [id, secret] of secrets) {
      expect(secret.Properties.KmsKeyId, id).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] });
      expect(secret.DeletionPolicy, id).toBe('Retain');
    }
    template.hasOutput('CursorSecretArn', {});
  });

  it('gives the functions that need no item neither table access nor a secret', () => {
    for (const name of ['GetOpenApi', 'NotFound']) {
      const itemActions = dynamoStatements(statementsOf(stack, template, name)).flatMap(actionsOf);
      expect(itemActions, name).toEqual([]);
    }
    for (const name of ['GetOpenApi', 'NotFound', 'RouteChanges', 'Health']) {
      expect(JSON.stringify(statementsOf(stack, template, name)), name).not.toContain('secretsmanager:');
    }
    // The health check reads the table's status, no item.
    expect(dynamoStatements(statementsOf(stack, template, 'Health'))).toEqual([
      expect.objectContaining({ Action: 'dynamodb:DescribeTable', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] } }),
    ]);
  });

  it('narrows item access to the partition keys a function touches (dynamodb:LeadingKeys), without Scan, and to its own indexes', () => {
    const narrowed = manifest.filter((s) => s.items);
    expect(narrowed.map((s) => s.name)).toEqual(expect.arrayContaining(['GetCampaign', 'GetCampaignCounts', 'ListCampaigns', 'ListSignatures', 'ListEndorsements', 'GetFeed']));
    for (const { name, items, indexes = [] } of narrowed) {
      // The main table's statements: the limits table's (items only, no Scan) are another test's.
      const statements = dynamoStatements(statementsOf(stack, template, name)).filter((s) => !JSON.stringify(s.Resource).includes('LimitsTable'));
      const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(stack.node.findChild('Table').node.defaultChild as never), 'Arn'] };
      // A read-only count that asks for `scan` gets Scan on the table itself, unconditioned, in a statement of its own.
      const scans = statements.filter((s) => actionsOf(s).includes('dynamodb:Scan'));
      expect(scans, name).toEqual(spec(name).scan ? [expect.objectContaining({ Action: 'dynamodb:Scan', Resource: tableArn })] : []);
      const onItems = statements.filter((s) => !scans.includes(s) && JSON.stringify(s.Resource) === JSON.stringify(tableArn));
      expect(onItems, name).toHaveLength(1);
      expect(onItems[0]?.Condition, name).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': items } });
      const actions = statements.filter((s) => !scans.includes(s)).flatMap(actionsOf);
      expect(actions, name).not.toContain('dynamodb:Scan');
      // Every other statement on the table is either that conditioned one or Query on a named index.
      for (const statement of statements.filter((s) => s !== onItems[0] && !scans.includes(s))) {
        expect(actionsOf(statement), name).toEqual(['dynamodb:Query']);
        const resources = JSON.stringify(statement.Resource);
        expect(resources, name).not.toContain('index/*');
        for (const index of ['gsi1', 'gsi2', 'gsi3']) expect(resources.includes(`/index/${index}`), `${name} ${index}`).toBe(indexes.includes(index as never));
      }
      if (indexes.length === 0) expect(statements, name).toHaveLength(scans.length + 1);
    }
    expect(spec('GetCampaign').items).toEqual(['CAMPAIGN#*']);
    // The unsubscribe and preferences pages read the subscriber behind their link, and nobody else.
    expect(spec('GetUnsubscribePage').items).toEqual(['SUBSCRIBER#*']);
    expect(spec('UpdatePreferences').items).toEqual(['SUBSCRIBER#*']);
  });
});

describe('development routes', () => {
  const routeKeys = (template: Template) => (Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Resource[]).map((r) => r.Properties.RouteKey);
  const developmentRouteKeys = developmentFunctions.flatMap((spec) => spec.triggers.flatMap((t) => (t.type === 'http' ? [`${t.method} ${t.path}`] : [])));

  it('are the demo page and the widget built on request', () => {
    expect(developmentRouteKeys.sort()).toEqual(['GET /demo/{slug}', 'GET /widget.js']);
  });

  for (const stage of ['dev', 'prod']) {
    it(`are not deployed in ${stage} by default, and are with developmentRoutes`, () => {
      const plain = synth({ stage });
      for (const key of developmentRouteKeys) expect(routeKeys(plain.template), key).not.toContain(key);
      for (const spec of developmentFunctions) expect(plain.stack.functions.has(spec.name), spec.name).toBe(false);
      expect(manifestFunctions(plain.template)).toHaveLength(manifest.length);

      const withRoutes = synth({ stage, context: { developmentRoutes: 'true' } });
      for (const key of developmentRouteKeys) expect(routeKeys(withRoutes.template), key).toContain(key);
      expect(manifestFunctions(withRoutes.template)).toHaveLength(everyFunction.length);
    });
  }
});

describe('dev and prod differ where data must survive', () => {
  let dev: Template;
  let prod: Template;

  beforeAll(() => {
    dev = synth({ stage: 'dev' }).template;
    prod = synth({ stage: 'prod' }).template;
  });

  it('retains and deletion-protects the prod table; dev is disposable', () => {
    const prodTable = mainTable(prod);
    expect(prodTable.DeletionPolicy).toBe('Retain');
    expect(prodTable.UpdateReplacePolicy).toBe('Retain');
    expect(prodTable.Properties.DeletionProtectionEnabled).toBe(true);

    const devTable = mainTable(dev);
    expect(devTable.DeletionPolicy).toBe('Delete');
    expect(devTable.Properties.DeletionProtectionEnabled).not.toBe(true);
  });

  it('retains the key, the secrets and the operator pool in prod only', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::Cognito::UserPool']) {
      expect(only(prod, type).DeletionPolicy, type).toBe('Retain');
      expect(only(dev, type).DeletionPolicy, type).toBe('Delete');
    }
    const secrets = (template: Template) => (Object.values(template.findResources('AWS::SecretsManager::Secret')) as Resource[]).map((s) => s.DeletionPolicy);
    expect(secrets(prod)).toEqual(['Retain', 'Retain']);
    expect(secrets(dev)).toEqual(['Delete', 'Delete']);
    expect(only(prod, 'AWS::Cognito::UserPool').Properties.DeletionProtection).toBe('ACTIVE');
  });

  it('keeps logs a month in prod, a week in dev; prod keeps its log groups when the stack goes', () => {
    const groups = (template: Template) => Object.values(template.findResources('AWS::Logs::LogGroup')) as Resource[];
    expect(groups(prod).every((g) => g.Properties.RetentionInDays === 30 && g.DeletionPolicy === 'Retain')).toBe(true);
    expect(groups(dev).every((g) => g.Properties.RetentionInDays === 7 && g.DeletionPolicy === 'Delete')).toBe(true);
  });

  it('throttles prod for real traffic and dev for a playground', () => {
    prod.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 } });
    dev.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 } });
  });

  it('anonymises dev test data a month after close, prod signers after six', () => {
    const retention = (template: Template) =>
      new Set((manifestFunctions(template) as Resource[]).map((fn) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.RETENTION_DAYS_AFTER_CLOSE));
    expect([...retention(prod)]).toEqual(['183']);
    expect([...retention(dev)]).toEqual(['30']);
  });

  it('names the bus after the stage', () => {
    prod.hasResourceProperties('AWS::Events::EventBus', { Name: 'tadamon-prod' });
  });
});

describe('deployment settings from context', () => {
  it('uses the given public URL, origins, sender and throttling', () => {
    const { template } = synth({
      context: {
        publicUrl: 'https://act.example.net/',
        allowedOrigins: 'https://act.example.net, https://widget.example.net',
        senderEmail: 'campaigns@example.net',
        senderDomain: 'example.net',
        throttleRateLimit: '7',
        throttleBurstLimit: 14,
        sesRatePerSecond: '14',
        senderName: 'Solidarity Desk',
        operatorEmail: 'desk@example.net',
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PUBLIC_URL: 'https://act.example.net',
          MAIL_FROM: 'Solidarity Desk <campaigns@example.net>',
          SENDER_IDENTITY: 'Solidarity Desk',
          SES_RATE_PER_SECOND: '14',
          OPERATOR_EMAIL: 'desk@example.net',
        }),
      },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://act.example.net', 'https://widget.example.net'] }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 14 } });
    // A managed domain identity with Easy DKIM, and mail authorised against the domain.
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.net', ConfigurationSetAttributes: Match.anyValue() });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toContain(':identity/example.net');
  });

  it('keeps point-in-time recovery as long as the stage says (how long erased data can still be restored)', () => {
    const { template } = synth({ context: { pointInTimeRecoveryDays: '7' } });
    template.hasResourceProperties('AWS::DynamoDB::Table', { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 } });
  });

  it('refuses a stage name that cannot name resources and a sender outside the sender domain', () => {
    expect(() => synth({ context: { stage: 'Staging' } })).toThrow(/stage/);
    expect(() => synth({ context: { stage: 'pr 42' } })).toThrow(/stage/);
    expect(() => synth({ context: { senderEmail: 'a@elsewhere.org', senderDomain: 'example.net' } })).toThrow(/senderDomain/);
  });
});
