import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifest } from '#infra/manifest.ts';
import type { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { buildApp, synth } from './synth.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>>; Principal?: unknown };
type Resource = { Type: string; Properties: Record<string, unknown> };

const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);
const text = (value: unknown) => JSON.stringify(value);

/** Every statement of the policies attached to the role of a manifest function. */
function statementsOf(template: Template, stack: TadamonStack, name: string): Statement[] {
  const role = stack.functions.get(name)!.role;
  const roleName = role.node.path.split('/').slice(-2).join('');
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
  return policies
    .filter((policy) => text(policy.Properties.Roles).includes(roleName.replace(/[^A-Za-z0-9]/g, '').slice(0, 40)))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('webhooks on AWS: the signer, the grants to wire one, the dead letters', () => {
  let stack: TadamonStack;
  let template: Template;
  let everything: string;

  beforeAll(() => {
    ({ stack, template } = synth({ stage: 'prod' }));
    everything = text(template.toJSON());
  });

  it('signs on the bus: a rule hands the five events to SignWebhookDeliveries, which may put events', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as Resource[];
    const signer = rules.find((rule) => text(rule.Properties.EventPattern).includes('SignatureConfirmed'));
    expect(signer?.Properties.EventPattern).toMatchObject({
      source: ['tadamon'],
      'detail-type': ['SignatureConfirmed', 'EndorsementApproved', 'MilestoneReached', 'CampaignPublished', 'CampaignClosed'],
    });
    const spec = manifest.find((f) => f.name === 'SignWebhookDeliveries')!;
    expect(spec).toMatchObject({ putsEvents: true, secrets: ['links'] });
    expect(statementsOf(template, stack, 'SignWebhookDeliveries').some((s) => actionsOf(s).includes('events:PutEvents'))).toBe(true);
    // It never makes or removes EventBridge resources: only the routes that add and delete a webhook do.
    expect(statementsOf(template, stack, 'SignWebhookDeliveries').flatMap(actionsOf)).not.toContain('events:CreateConnection');
  });

  it('lets the add and delete routes make exactly the prefixed connection, API destination and rule, and pass one role', () => {
    for (const name of ['AdminCreateWebhook', 'AdminDeleteWebhook']) {
      const statements = statementsOf(template, stack, name);
      const granted = (action: string) => statements.filter((s) => actionsOf(s).includes(action));
      for (const action of ['events:CreateConnection', 'events:DeleteConnection', 'events:CreateApiDestination', 'events:DeleteApiDestination', 'events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets']) {
        const [statement, ...more] = granted(action);
        expect(more, `${name} ${action}`).toEqual([]);
        expect(text(statement?.Resource), `${name} ${action}`).toMatch(/tadamon-prod-webhook-\*/);
      }
      expect(text(granted('events:PutRule')[0]!.Resource)).toContain(':rule/tadamon-prod/tadamon-prod-webhook-*');
      const passRole = granted('iam:PassRole');
      expect(passRole).toHaveLength(1);
      expect(passRole[0]!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'events.amazonaws.com' } });
      expect(statements.flatMap(actionsOf)).not.toContain('events:*');
    }
    // Listing webhooks, their deliveries, or replaying one touches no EventBridge resource.
    for (const name of ['AdminListWebhooks', 'AdminListWebhookDeliveries']) {
      expect(statementsOf(template, stack, name).flatMap(actionsOf).filter((a) => a.startsWith('events:'))).toEqual([]);
    }
  });

  it('has EventBridge invoke the API destinations with a role of their own, on the prefix only', () => {
    const roles = Object.values(template.findResources('AWS::IAM::Role')) as Resource[];
    const target = roles.find((role) => String(role.Properties.Description ?? '').includes('API destinations'));
    expect(text(target?.Properties.AssumeRolePolicyDocument)).toContain('events.amazonaws.com');
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
    const invoke = policies.flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement).filter((s) => actionsOf(s).includes('events:InvokeApiDestination'));
    expect(invoke).toHaveLength(1);
    expect(text(invoke[0]!.Resource)).toContain(':api-destination/tadamon-prod-webhook-*');
  });

  it('gives the dead letters a queue EventBridge rules may send to, consumed by RecordWebhookDeadLetters', () => {
    const queuePolicies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as Resource[];
    const sid = (p: Resource) => (p.Properties.PolicyDocument as { Statement: (Statement & { Sid?: string })[] }).Statement;
    const queue = stack.queues.queues.get('webhook-dead-letters')!;
    const queueId = stack.getLogicalId(queue.node.defaultChild as never);
    const policy = queuePolicies.find((p) => text(p.Properties.Queues).includes(queueId));
    expect(policy && sid(policy).some((s) => actionsOf(s).includes('sqs:SendMessage') && text(s.Principal).includes('events.amazonaws.com'))).toBe(true);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Resource[];
    expect(mappings.some((m) => text(m.Properties.EventSourceArn).includes(queueId))).toBe(true);
    // The add route is told where dead letters go and which role to pass.
    expect(everything).toContain('WEBHOOK_DEAD_LETTERS_ARN');
    expect(everything).toContain('WEBHOOK_TARGET_ROLE_ARN');
    expect(everything).toContain('"WEBHOOK_RESOURCE_PREFIX":"tadamon-prod-webhook"');
  });

  it('finds nothing unacknowledged by cdk-nag', () => {
    const { app } = buildApp({ stage: 'prod', nag: true });
    let report = '';
    try {
      app.synth();
    } catch (error) {
      report = (error as Error).message;
    }
    expect(report).toBe('');
  });
});
