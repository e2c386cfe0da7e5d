import type { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions, manifest as everyFunction } from '#infra/manifest.ts';
import type { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { functionLogicalId, synth } from './synth.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
type Resource = { Properties: Record<string, unknown> };

const manifest = deployedFunctions(everyFunction, false);
const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);

function statementsOf(stack: TadamonStack, template: Template, name: string): Statement[] {
  const roleId = stack.getLogicalId(stack.functions.get(name)?.role.node.defaultChild as CfnRole);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const secretStatements = (statements: Statement[]) => statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')) && JSON.stringify(s.Resource).includes('action-network'));

describe("partners' Action Network connectors in the stack (dev)", () => {
  let stack: TadamonStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synth({ stage: 'dev' }));
  });

  it("grants the stage's connector keys by name prefix: read to the pusher, write to the operator routes, nothing to any other function", () => {
    for (const spec of manifest) {
      const statements = secretStatements(statementsOf(stack, template, spec.name));
      if (!spec.connectorKeys) {
        expect(statements, spec.name).toEqual([]);
        continue;
      }
      expect(statements, spec.name).toHaveLength(1);
      const [statement] = statements;
      expect(JSON.stringify(statement!.Resource), spec.name).toMatch(/:secret:tadamon\/dev\/action-network\/\*"/);
      expect(actionsOf(statement!).sort(), spec.name).toEqual(
        spec.connectorKeys === 'read'
          ? ['secretsmanager:GetSecretValue']
          : ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:RestoreSecret'],
      );
    }
    expect(manifest.find((spec) => spec.name === 'PushToActionNetwork')?.connectorKeys).toBe('read');
    expect(manifest.filter((spec) => spec.connectorKeys === 'manage').map((spec) => spec.name).sort()).toEqual(['AdminRemoveActionNetwork', 'AdminSetActionNetwork']);
  });

  it('lets the connector functions use the data key only through Secrets Manager', () => {
    for (const spec of manifest.filter((s) => s.connectorKeys)) {
      const kms = statementsOf(stack, template, spec.name).filter((s) => actionsOf(s).includes('kms:Decrypt') && s.Condition?.StringEquals?.['kms:ViaService']);
      expect(kms.length, spec.name).toBeGreaterThan(0);
      expect(JSON.stringify(kms.map((s) => s.Condition?.StringEquals?.['kms:ViaService'])), spec.name).toContain('secretsmanager.');
      expect(kms.flatMap(actionsOf).includes('kms:GenerateDataKey'), spec.name).toBe(spec.connectorKeys === 'manage');
    }
  });

  it('tells the connector functions where the keys are, and only them', () => {
    const environment = (name: string) =>
      ((template.findResources('AWS::Lambda::Function')[functionLogicalId(stack, name)] as Resource).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(environment('PushToActionNetwork')).toMatchObject({ CONNECTOR_SECRET_PREFIX: 'tadamon/dev/' });
    expect(environment('PushToActionNetwork')).not.toHaveProperty('CONNECTOR_SECRET_KMS_KEY');
    expect(environment('AdminSetActionNetwork')).toMatchObject({ CONNECTOR_SECRET_PREFIX: 'tadamon/dev/', CONNECTOR_SECRET_KMS_KEY: expect.anything() });
    expect(environment('CountConfirmations')).not.toHaveProperty('CONNECTOR_SECRET_PREFIX');
  });

  it('triggers the pusher by SignatureConfirmed on the stage bus, with retries, a dead letter and a failure destination, at a reserved concurrency', () => {
    const id = functionLogicalId(stack, 'PushToActionNetwork');
    const rules = (Object.values(template.findResources('AWS::Events::Rule')) as Resource[]).filter((r) => JSON.stringify(r.Properties.Targets).includes(id));
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties.EventPattern).toEqual({ source: ['tadamon'], 'detail-type': ['SignatureConfirmed'] });
    expect(JSON.stringify(rules[0]!.Properties.EventBusName)).toContain('EventBus');
    expect(rules[0]!.Properties.Targets).toMatchObject([{ DeadLetterConfig: { Arn: expect.anything() }, RetryPolicy: expect.anything() }]);
    const invokeConfigs = (Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')) as Resource[]).filter((c) => JSON.stringify(c.Properties.FunctionName).includes(id));
    expect(invokeConfigs).toMatchObject([{ Properties: { MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: expect.anything() } } } }]);
    expect((template.findResources('AWS::Lambda::Function')[id] as Resource).Properties.ReservedConcurrentExecutions).toBe(4);
  });
});
