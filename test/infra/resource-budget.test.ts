import { NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from './synth.ts';

/**
 * CloudFormation takes at most 500 resources, 200 parameters and 200 outputs in a template
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). Each template
 * of a stage keeps to 300 resources, so a feature can add functions and routes without a deploy failing.
 */
const budget = { resources: 300, parameters: 200, outputs: 200 } as const;

describe('every template of a stage, within CloudFormation limits with room to grow', () => {
  for (const stage of ['prod', 'dev'] as const) {
    it(`${stage}: at most ${budget.resources} resources in each, and parameters and outputs within the limits`, () => {
      const { stack } = buildApp({ stage, context: { alarmEmail: 'alarms@example.net', developmentRoutes: true } });
      const stacks = [stack, ...stack.node.findAll().filter((construct): construct is NestedStack => construct instanceof NestedStack)];
      expect(stacks.length).toBeGreaterThan(1);
      for (const each of stacks) {
        const template = Template.fromStack(each).toJSON() as { Resources: object; Parameters?: object; Outputs?: object };
        expect(Object.keys(template.Resources).length, each.node.path).toBeLessThanOrEqual(budget.resources);
        expect(Object.keys(template.Parameters ?? {}).length, each.node.path).toBeLessThanOrEqual(budget.parameters);
        expect(Object.keys(template.Outputs ?? {}).length, each.node.path).toBeLessThanOrEqual(budget.outputs);
      }
    });
  }
});
