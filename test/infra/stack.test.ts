import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpRoutes, manifest, type StreamTrigger } from '#infra/manifest.ts';
import { tableDefinition } from '#shared/store/table-definition.ts';
import { toAwsCron } from '#infra/stack/cron.ts';
import type { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { functionLogicalId, manifestFunctions, synth } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

function only(template: Template, type: string): Resource {
  const found = Object.values(template.findResources(type)) as Resource[];
  expect(found).toHaveLength(1);
  return found[0] as Resource;
}

describe('the stack generated from the manifest (dev)', () => {
  let stack: TadamonStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synth({ stage: 'dev' }));
  });

  it('has one function per manifest entry: nodejs24.x, arm64, traced, sized as the manifest says', () => {
    expect(manifestFunctions(template)).toHaveLength(manifest.length);
    for (const spec of manifest) {
      const fn = template.toJSON().Resources[functionLogicalId(stack, spec.name)] as Resource;
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: spec.memoryMb ?? 512,
        Timeout: spec.timeoutSeconds ?? 10,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(new RegExp(`^${spec.name}Logs`)) } },
      });
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
        RATE_LIMIT_CAMPAIGN_BURST: '5000/10',
        RATE_LIMIT_CAMPAIGN_SUSTAINED: '5000000/3600',
      });
      expect(env).not.toHaveProperty('CAPTCHA_SECRET');
      expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
      // Without a publicUrl in context, links point at the API itself.
      expect(env.PUBLIC_URL).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^HttpApi/), 'ApiEndpoint'] });
      expect(env).not.toHaveProperty('TOKEN_SECRET');
      if (spec.table) expect(env.TOKEN_SECRET_ARN).toEqual({ Ref: expect.stringMatching(/^TokenSecret/) });
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
    expect(routes).toHaveLength(httpRoutes().length);
    for (const { spec, trigger } of httpRoutes()) {
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
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Resource[];
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
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${spec.name}StreamFailures`)), 'Arn'] } } },
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
      expect(rule?.Properties.EventPattern, spec.name).toEqual(trigger.pattern);
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

  it('keeps failed deliveries 14 days in KMS-encrypted, TLS-only queues', () => {
    const queues = Object.values(template.findResources('AWS::SQS::Queue')) as Resource[];
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) {
      expect(queue.Properties).toMatchObject({
        MessageRetentionPeriod: 14 * 24 * 3600,
        KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] },
      });
    }
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('builds the table from the shared table definition', () => {
    const table = only(template, 'AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] } },
    });
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(
      tableDefinition.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
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
    const actionsOf = (name: string): string[] => {
      const roleId = stack.getLogicalId(stack.functions.get(name)?.role.node.defaultChild as CfnRole);
      const policy = Object.values(policies).find((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
      const statements = (policy?.Properties.PolicyDocument.Statement ?? []) as { Action: string | string[] }[];
      return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    };
    for (const spec of manifest) {
      const actions = actionsOf(spec.name);
      expect(actions.includes('dynamodb:PutItem'), `${spec.name} writes`).toBe(spec.table === 'write');
      expect(actions.includes('dynamodb:Query'), `${spec.name} reads`).toBe(spec.table !== undefined);
      expect(actions.includes('ses:SendRawEmail'), `${spec.name} mails`).toBe(spec.sendsEmail === true);
      expect(actions.includes('events:PutEvents'), `${spec.name} puts events`).toBe(spec.putsEvents === true);
      expect(actions.includes('secretsmanager:GetSecretValue'), `${spec.name} reads the secret`).toBe(spec.table !== undefined);
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

describe('dev and prod differ where data must survive', () => {
  let dev: Template;
  let prod: Template;

  beforeAll(() => {
    dev = synth({ stage: 'dev' }).template;
    prod = synth({ stage: 'prod' }).template;
  });

  it('retains and deletion-protects the prod table; dev is disposable', () => {
    const prodTable = only(prod, 'AWS::DynamoDB::Table');
    expect(prodTable.DeletionPolicy).toBe('Retain');
    expect(prodTable.UpdateReplacePolicy).toBe('Retain');
    expect(prodTable.Properties.DeletionProtectionEnabled).toBe(true);

    const devTable = only(dev, 'AWS::DynamoDB::Table');
    expect(devTable.DeletionPolicy).toBe('Delete');
    expect(devTable.Properties.DeletionProtectionEnabled).not.toBe(true);
  });

  it('retains the key, the secret and the operator pool in prod only', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::Cognito::UserPool']) {
      expect(only(prod, type).DeletionPolicy, type).toBe('Retain');
      expect(only(dev, type).DeletionPolicy, type).toBe('Delete');
    }
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

  it('refuses a stage name that cannot name resources and a sender outside the sender domain', () => {
    expect(() => synth({ context: { stage: 'Staging' } })).toThrow(/stage/);
    expect(() => synth({ context: { stage: 'pr 42' } })).toThrow(/stage/);
    expect(() => synth({ context: { senderEmail: 'a@elsewhere.org', senderDomain: 'example.net' } })).toThrow(/senderDomain/);
  });
});
