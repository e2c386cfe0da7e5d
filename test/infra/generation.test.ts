import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { fakeManifest } from './fake-manifest.ts';
import { functionLogicalId, manifestFunctions, synth } from './synth.ts';

type Resource = { Properties: Record<string, unknown> };

describe('generating event rules and schedules from manifest entries', () => {
  let stack: TadamonStack;
  let template: Template;
  const rules = () => Object.values(template.findResources('AWS::Events::Rule')) as Resource[];
  const schedules = () => Object.values(template.findResources('AWS::Scheduler::Schedule')) as Resource[];
  const targeting = (items: Resource[], name: string) =>
    items.filter((item) => JSON.stringify(item.Properties).includes(functionLogicalId(stack, name)));

  beforeAll(() => {
    // Template.fromStack also fails on circular dependencies between resources.
    ({ stack, template } = synth({ manifest: fakeManifest }));
  });

  it('builds only what the given manifest lists', () => {
    expect(manifestFunctions(template)).toHaveLength(fakeManifest.length);
    template.resourceCountIs('AWS::Events::Rule', 3);
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, Timeout: 120 });
  });

  it('puts our own events on the stack bus, with a dead-letter queue and a retry policy', () => {
    const [rule] = targeting(rules(), 'PlanUrgentCall');
    expect(rule?.Properties).toMatchObject({
      EventBusName: { Ref: expect.stringMatching(/^EventBus/) },
      EventPattern: { source: ['tadamon'], 'detail-type': ['CampaignPublished'], detail: { urgent: [true] } },
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [functionLogicalId(stack, 'PlanUrgentCall'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^QueuesAsyncFailures/), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
        },
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionLogicalId(stack, 'PlanUrgentCall'), 'Arn'] },
    });
  });

  it('listens for AWS service events (SES bounces) on the default bus, where AWS delivers them', () => {
    const [rule] = targeting(rules(), 'SuppressBounces');
    expect(rule?.Properties).toMatchObject({
      EventBusName: 'default',
      EventPattern: { source: ['aws.ses'], 'detail-type': ['Email Bounced', 'Email Complaint Received'] },
    });
  });

  it('lets EventBridge use the data key for rule dead-letter queues, for this account only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: Match.anyValue() },
          }),
        ]),
      },
    });
  });

  it('turns five-field cron into an EventBridge Scheduler schedule in UTC, with a dead-letter queue', () => {
    const [schedule] = targeting(schedules(), 'PlanDigest');
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 8 ? * MON *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [functionLogicalId(stack, 'PlanDigest'), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^PlanDigestScheduleRole/), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^QueuesAsyncFailures/), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
      },
    });
  });

  it('sends handler failures after Lambda\'s own async retries to the same dead-letter queue', () => {
    for (const name of ['PlanUrgentCall', 'SuppressBounces', 'PlanDigest', 'Housekeeping']) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionLogicalId(stack, name) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QueuesAsyncFailures'), 'Arn'] } } },
      });
    }
    // One queue for every function, however many asynchronous triggers each has.
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    expect(queues.filter((id) => id.includes('AsyncFailures'))).toHaveLength(1);
  });

  it('wires every trigger of a function with several', () => {
    const [schedule] = targeting(schedules(), 'Housekeeping');
    expect(schedule?.Properties.ScheduleExpression).toBe('cron(*/30 * * * ? *)');
    const [rule] = targeting(rules(), 'Housekeeping');
    expect(rule?.Properties.EventPattern).toEqual({ source: ['tadamon'], 'detail-type': ['CampaignClosed'] });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /admin/housekeeping', AuthorizationType: 'JWT' });
  });

  it('lets the scheduler role invoke its function and write to its encrypted queue, nothing more', () => {
    const roleId = Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith('PlanDigestScheduleRole'));
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
      JSON.stringify(p.Properties.Roles).includes(roleId ?? '?'),
    );
    const actions = (policy?.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => s.Action);
    expect(actions.sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'lambda:InvokeFunction', 'sqs:SendMessage']);
  });
});
