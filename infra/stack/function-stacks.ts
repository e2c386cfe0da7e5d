import { NestedStack, type Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { FunctionSpec } from '#infra/manifest.ts';

/**
 * Where each manifest function is built. CloudFormation takes at most 500 resources in a template, and each
 * function brings four or more (function, role, policy, log group), so the functions behind HTTP routes live
 * in nested stacks by area: the public API's, the operator API's, and the operator routes that connect partners'
 * systems (a spec's `operatorArea`), each with its routes (route, integration and invoke permission: three
 * resources a route); the API, its stage and authorizer stay in the main stack.
 * Stream, queue, event and schedule functions stay beside the table, queues and rules they are wired to.
 */
export class FunctionStacks {
  private readonly nested = new Map<string, NestedStack>();

  constructor(
    private readonly stack: Stack,
    private readonly stage: string,
  ) {}

  scopeFor(spec: FunctionSpec): Construct {
    const { triggers } = spec;
    const http = triggers.length > 0 && triggers.every((trigger) => trigger.type === 'http');
    if (http && triggers.every((trigger) => trigger.type === 'http' && trigger.operator)) {
      // Functions never move from one area to another (that would replace them): a new area takes new routes.
      if (spec.operatorArea === 'integrations') return this.area('OperatorIntegrationFunctions', "the operator API's integrations (imports, webhooks)");
      return this.area('OperatorApiFunctions', "the operator API's functions");
    }
    // Public reads: nothing written, no captcha to verify (a page that shows one holds only its public site key),
    // no queue; the cached side of the API.
    const readsOnly = spec.table !== 'write' && spec.captcha !== 'verifies' && !spec.sendsTo?.length && !spec.limits && !spec.sendsEmail && !spec.putsEvents;
    if (http && readsOnly) return this.area('PublicReadFunctions', "the public API's read functions");
    return this.stack;
  }

  private area(id: string, holds: string): NestedStack {
    let nested = this.nested.get(id);
    if (!nested) {
      nested = new NestedStack(this.stack, id, { description: `Tadamon ${this.stage}: ${holds}` });
      this.nested.set(id, nested);
    }
    return nested;
  }
}
