import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TadamonFunction } from './tadamon-function.ts';

export interface WebhooksProps {
  stage: string;
  /** The stage's bus, where each webhook's rule is made at run time. */
  eventBusName: string;
  /** What EventBridge gives up on after 24 hours (the `webhook-dead-letters` queue, as rules may send to it). */
  deadLetters: IQueue;
}

/**
 * What webhooks need on AWS besides their functions: a name prefix for the connections, API destinations and rules
 * that operators make at run time (`POST /admin/webhooks`), the role EventBridge invokes those API destinations
 * with, and the dead-letter queue of their targets. The functions the manifest marks `webhooks: 'manage'` may make
 * and delete exactly the resources named by the prefix, and pass exactly that role; nothing else in the account.
 */
export class Webhooks extends Construct {
  readonly prefix: string;
  readonly targetRole: Role;
  private readonly props: WebhooksProps;

  constructor(scope: Construct, id: string, props: WebhooksProps) {
    super(scope, id);
    this.props = props;
    this.prefix = `tadamon-${props.stage}-webhook`;
    const stack = Stack.of(this);
    this.targetRole = new Role(this, 'TargetRole', {
      assumedBy: new ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'EventBridge invokes the webhooks\' API destinations with this role.',
    });
    this.targetRole.addToPolicy(new PolicyStatement({ actions: ['events:InvokeApiDestination'], resources: [this.arn('api-destination')] }));
    Validations.of(this.targetRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(this.arn('api-destination'))}]`,
      reason: 'Webhooks are made at run time; the wildcard reaches only the API destinations named by this stage\'s webhook prefix.',
    });
  }

  /** Hands a function what its manifest entry asks for: the names, the role and queue to wire, and the grants to do it. */
  connect(fn: TadamonFunction): void {
    if (fn.spec.webhooks !== 'manage') return;
    fn.function.addEnvironment('WEBHOOK_RESOURCE_PREFIX', this.prefix);
    fn.function.addEnvironment('WEBHOOK_TARGET_ROLE_ARN', this.targetRole.roleArn);
    fn.function.addEnvironment('WEBHOOK_DEAD_LETTERS_ARN', this.props.deadLetters.queueArn);
    const resources = {
      connections: this.arn('connection'),
      destinations: this.arn('api-destination'),
      rules: this.arn('rule', `${this.props.eventBusName}/`),
    };
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['events:CreateConnection', 'events:DeleteConnection'], resources: [resources.connections] }));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['events:CreateApiDestination', 'events:DeleteApiDestination'], resources: [resources.destinations] }));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'], resources: [resources.rules] }));
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.targetRole.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'events.amazonaws.com' } } }),
    );
    for (const resource of Object.values(resources)) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource(resource)}]`,
        reason: 'Webhooks are made at run time; the wildcard reaches only what is named by this stage\'s webhook prefix.',
      });
    }
  }

  private arn(resource: string, within = ''): string {
    return Stack.of(this).formatArn({ service: 'events', resource, resourceName: `${within}${this.prefix}-*` });
  }
}

/** An ARN as cdk-nag names it in a finding: the stack's pseudo parameters as `<AWS::Region>`, literal values as they are. */
const nagResource = (arn: string) => arn.replace(/\$\{Token\[AWS\.(\w+)\.\d+\]\}/g, '<AWS::$1>');
