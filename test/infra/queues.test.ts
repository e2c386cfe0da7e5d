import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions, manifest as everyFunction, type FunctionSpec, type QueueTrigger } from '#infra/manifest.ts';
import { mappingConcurrency, queueWiring } from '#infra/queue-wiring.ts';
import { stageConfig } from '#infra/stages.ts';
import type { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { queueNames, queueUrlVariable } from '#shared/queues/queue-names.ts';
import { functionLogicalId, synth } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };

const manifest = deployedFunctions(everyFunction, false);
const consumers = manifest.flatMap((spec) => spec.triggers.filter((t): t is QueueTrigger => t.type === 'queue').map((trigger) => ({ spec, trigger })));
const senders = manifest.filter((spec) => (spec.sendsTo ?? []).length > 0);
const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);

function statementsOf(stack: TadamonStack, template: Template, name: string): Statement[] {
  const roleId = stack.getLogicalId(stack.functions.get(name)!.role.node.defaultChild as CfnRole);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

describe('the queues on AWS', () => {
  let stack: TadamonStack;
  let template: Template;
  const queueId = (name: string) => stack.getLogicalId(stack.queues.queues.get(name as never)!.node.defaultChild as CfnQueue);
  const redriveId = () => stack.getLogicalId(stack.queues.redrive.node.defaultChild as CfnQueue);

  beforeAll(() => {
    ({ stack, template } = synth({ stage: 'prod' }));
  });

  it('has consumers in the manifest to wire (the test would prove nothing without them)', () => {
    expect(consumers.map(({ trigger }) => trigger.queue).sort()).toEqual([...queueNames].sort());
    expect(senders.length).toBeGreaterThan(0);
  });

  it('makes one encrypted, TLS-only queue per queue name, kept 14 days, hidden as its consumer needs, redriven after maxReceiveCount', () => {
    for (const { name, visibilityTimeoutSeconds, maxReceiveCount } of queueWiring(manifest)) {
      const queue = template.toJSON().Resources[queueId(name)] as Resource;
      expect(queue.Properties, name).toMatchObject({
        KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] },
        MessageRetentionPeriod: 14 * 24 * 3600,
        VisibilityTimeout: visibilityTimeoutSeconds,
        MaximumMessageSize: 256 * 1024,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [redriveId(), 'Arn'] }, maxReceiveCount },
      });
    }
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: Match.arrayWith([{ Ref: queueId('confirmation-mail') }]),
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    // The shared redrive queue keeps as long as the queues it takes from: a message keeps its enqueue time there.
    expect((template.toJSON().Resources[redriveId()] as Resource).Properties).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it('hides each message at least six times its consumer timeout, as AWS advises', () => {
    for (const { spec, trigger } of consumers) expect(trigger.visibilityTimeoutSeconds, spec.name).toBeGreaterThanOrEqual(6 * (spec.timeoutSeconds ?? 10));
  });

  it("maps each queue to its consumer with the trigger's batch, window, concurrency and partial batch responses", () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Resource[];
    for (const { spec, trigger } of consumers) {
      const mapping = mappings.find((m) => JSON.stringify(m.Properties.EventSourceArn).includes(queueId(trigger.queue)));
      expect(mapping?.Properties, spec.name).toMatchObject({
        FunctionName: { Ref: functionLogicalId(stack, spec.name) },
        BatchSize: trigger.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ...(trigger.maxBatchingWindowSeconds > 0 ? { MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds } : {}),
      });
      const concurrency = mappingConcurrency(trigger, stageConfig('prod').sesRatePerSecond);
      expect(mapping?.Properties.ScalingConfig, spec.name).toEqual(concurrency ? { MaximumConcurrency: concurrency } : undefined);
    }
    const queueMappings = mappings.filter((m) => JSON.stringify(m.Properties.EventSourceArn).includes('Queues'));
    expect(queueMappings).toHaveLength(consumers.length);
  });

  it("lets a consumer receive and delete from its own queue only, and decrypt with the data key", () => {
    for (const { spec, trigger } of consumers) {
      const statements = statementsOf(stack, template, spec.name);
      const sqs = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:Receive') || a.startsWith('sqs:Delete')));
      expect(sqs.map((s) => s.Resource), spec.name).toEqual([{ 'Fn::GetAtt': [queueId(trigger.queue), 'Arn'] }]);
      expect(statements.some((s) => actionsOf(s).includes('kms:Decrypt')), spec.name).toBe(true);
    }
  });

  it('grants sqs:SendMessage on exactly the queues a function sends to, and hands it their URLs', () => {
    for (const spec of senders) {
      const sends = statementsOf(stack, template, spec.name).filter((s) => actionsOf(s).includes('sqs:SendMessage'));
      const workQueues = sends.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])).filter((r) => !JSON.stringify(r).includes('Failures'));
      expect(workQueues, spec.name).toEqual(spec.sendsTo!.map((name) => ({ 'Fn::GetAtt': [queueId(name), 'Arn'] })));
      const fn = template.toJSON().Resources[functionLogicalId(stack, spec.name)] as Resource;
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const name of spec.sendsTo!) expect(variables[queueUrlVariable(name)], spec.name).toEqual({ Ref: queueId(name) });
    }
    // A function that sends to no queue can send to none and knows no queue URL (the dead-letter replay sends back through SQS's move task: its own test).
    const quiet = manifest.filter((spec) => !spec.sendsTo?.length && !spec.triggers.some((t) => t.type !== 'http') && spec.deadLetters !== 'redrive');
    expect(quiet.length).toBeGreaterThan(0);
    for (const spec of quiet) {
      expect(statementsOf(stack, template, spec.name).filter((s) => actionsOf(s).includes('sqs:SendMessage')), spec.name).toEqual([]);
      const fn = template.toJSON().Resources[functionLogicalId(stack, spec.name)] as Resource;
      expect(Object.keys((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).filter((v) => v.startsWith('QUEUE_URL_')), spec.name).toEqual([]);
    }
  });

  it('lets the dead-letter functions count every dead-letter queue, and only the replay move mail back to its queues', () => {
    const readers = manifest.filter((spec) => spec.deadLetters);
    expect(readers.map((spec) => [spec.name, spec.deadLetters])).toEqual([
      ['AdminListDeadLetters', 'read'],
      ['AdminReplayDeadLetters', 'redrive'],
    ]);
    const deadLetterIds = stack.deadLetterQueues.map((d) => stack.getLogicalId(d.queue.node.defaultChild as CfnQueue)).sort();
    const redriveId = stack.getLogicalId(stack.queues.redrive.node.defaultChild as CfnQueue);
    for (const spec of readers) {
      const statements = statementsOf(stack, template, spec.name);
      const counted = statements.filter((s) => actionsOf(s).includes('sqs:GetQueueAttributes')).flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
      expect(counted.map((r) => (r as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]).sort(), spec.name).toEqual(deadLetterIds);
      const moves = statements.filter((s) => actionsOf(s).includes('sqs:StartMessageMoveTask'));
      const sends = statements.filter((s) => actionsOf(s).includes('sqs:SendMessage'));
      const fn = template.toJSON().Resources[functionLogicalId(stack, spec.name)] as Resource;
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables.DEAD_LETTERS_MAIL, spec.name).toEqual({ Ref: redriveId });
      if (spec.deadLetters === 'read') {
        expect(moves, spec.name).toEqual([]);
        expect(sends, spec.name).toEqual([]);
      } else {
        expect(moves.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [redriveId, 'Arn'] }]);
        expect(sends.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))).toEqual(queueNames.map((name) => ({ 'Fn::GetAtt': [queueId(name), 'Arn'] })));
      }
    }
  });

  it("lets only the replay read and delete event and stream failure records, and invoke exactly the stack's event, schedule and stream functions again", () => {
    const targets = manifest.filter((spec) => spec.triggers.some((t) => t.type === 'event' || t.type === 'schedule' || t.type === 'stream'));
    expect(targets.filter((spec) => spec.triggers.some((t) => t.type === 'stream')).map((spec) => spec.name).sort()).toEqual(['CountConfirmations', 'RouteChanges']);
    const eventFailureIds = stack.deadLetterQueues
      .filter((d) => d.functionName === 'EventsAndSchedules' || d.functionName === 'AddressEvents' || d.functionName === 'StreamConsumers')
      .map((d) => stack.getLogicalId(d.queue.node.defaultChild as CfnQueue))
      .sort();
    expect(eventFailureIds).toHaveLength(3);
    const resourcesOf = (statements: Statement[]) => statements.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    for (const spec of manifest) {
      const statements = statementsOf(stack, template, spec.name);
      const invokes = statements.filter((s) => actionsOf(s).some((action) => action.startsWith('lambda:Invoke')));
      const reads = statements.filter((s) => actionsOf(s).includes('sqs:ReceiveMessage'));
      const readIds = resourcesOf(reads).flatMap((r) => (r as { 'Fn::GetAtt'?: [string] })['Fn::GetAtt']?.[0] ?? []);
      const streamReads = statements.filter((s) => actionsOf(s).includes('dynamodb:GetRecords'));
      if (spec.name !== 'AdminReplayDeadLetters') {
        expect(invokes, spec.name).toEqual([]);
        for (const id of eventFailureIds) expect(readIds, spec.name).not.toContain(id);
        continue;
      }
      for (const id of eventFailureIds) expect(readIds).toContain(id);
      expect(invokes.map(actionsOf)).toEqual([['lambda:InvokeFunction']]);
      // A failed stream batch is read again from the table's stream, and only from it.
      expect(streamReads.map(actionsOf)).toEqual([['dynamodb:GetShardIterator', 'dynamodb:GetRecords']]);
      expect(JSON.stringify(streamReads[0]!.Resource)).toContain('StreamArn');
      // Each event and schedule function by its own ARN, never a wildcard.
      expect(resourcesOf(invokes).map((r) => (r as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt']).sort()).toEqual(
        targets.map((target) => [functionLogicalId(stack, target.name), 'Arn']).sort(),
      );
      const fn = template.toJSON().Resources[functionLogicalId(stack, spec.name)] as Resource;
      const named = JSON.stringify((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.DEAD_LETTER_REPLAY_FUNCTIONS);
      for (const target of targets) expect(named).toContain(`"Ref":"${functionLogicalId(stack, target.name)}"`);
    }
  });

  it('shares a handful of dead-letter queues instead of one per consumer, each alarmed', () => {
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    // The work queues, their redrive queue, stream failures, async failures, and address-bearing async failures.
    expect(queues).toHaveLength(queueNames.length + 4);
    expect(stack.deadLetterQueues.map((d) => d.functionName).sort()).toEqual(['AddressEvents', 'EventsAndSchedules', 'Queues', 'StreamConsumers']);
    const streamFailures = stack.deadLetterQueues.find((d) => d.source === 'stream')!;
    const streamId = stack.getLogicalId(streamFailures.queue.node.defaultChild as CfnQueue);
    const streamMappings = (Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Resource[]).filter((m) => m.Properties.StartingPosition);
    expect(streamMappings.length).toBeGreaterThan(0);
    for (const mapping of streamMappings) {
      expect(mapping.Properties.DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [streamId, 'Arn'] } } });
    }
  });

  it('keeps SES events (addresses and all) 3 days in a queue of their own, and every other dead letter 14', () => {
    const addressEvents = stack.deadLetterQueues.find((d) => d.functionName === 'AddressEvents')!;
    const addressId = stack.getLogicalId(addressEvents.queue.node.defaultChild as CfnQueue);
    expect((template.toJSON().Resources[addressId] as Resource).Properties.MessageRetentionPeriod).toBe(3 * 24 * 3600);
    for (const spec of manifest.filter((s) => s.eventsCarryAddresses)) {
      const rules = Object.values(template.findResources('AWS::Events::Rule')) as Resource[];
      const rule = rules.find((r) => JSON.stringify(r.Properties.Targets).includes(functionLogicalId(stack, spec.name)));
      expect(rule?.Properties.Targets, spec.name).toMatchObject([{ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [addressId, 'Arn'] } } }]);
    }
    for (const d of stack.deadLetterQueues.filter((q) => q !== addressEvents)) {
      const id = stack.getLogicalId(d.queue.node.defaultChild as CfnQueue);
      expect((template.toJSON().Resources[id] as Resource).Properties.MessageRetentionPeriod, d.functionName).toBe(14 * 24 * 3600);
    }
  });

  it("lets this account's EventBridge rules send to a shared dead-letter queue in one statement, however many rules there are", () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as Resource[];
    for (const policy of policies) {
      const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      // SQS allows 20 statements a policy.
      expect(statements.length).toBeLessThanOrEqual(2);
      for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
        expect(statement).toMatchObject({
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': expect.anything() as unknown } },
        });
      }
    }
  });
});

describe('the queue wiring', () => {
  const consumer = (name: string, trigger: Partial<QueueTrigger> = {}, spec: Partial<FunctionSpec> = {}): FunctionSpec => ({
    name,
    entry: 'functions/http/get-health.ts',
    timeoutSeconds: 30,
    ...spec,
    triggers: [{ type: 'queue', queue: 'bulk-mail', batchSize: 10, maxBatchingWindowSeconds: 0, visibilityTimeoutSeconds: 180, maxReceiveCount: 5, ...trigger }],
  });

  it('refuses two consumers of one queue, a visibility timeout shorter than the run, and settings Lambda refuses', () => {
    expect(() => queueWiring([consumer('A'), consumer('B')])).toThrow(/bulk-mail has 2 consumers/);
    expect(() => queueWiring([consumer('A', { visibilityTimeoutSeconds: 20 })])).toThrow(/shorter than the function's timeout/);
    expect(() => queueWiring([consumer('A', { visibilityTimeoutSeconds: 30, maxBatchingWindowSeconds: 5 })])).toThrow(/plus the batching window/);
    expect(() => queueWiring([consumer('A', { maxConcurrency: 1 })])).toThrow(/maxConcurrency/);
    expect(() => queueWiring([consumer('A', { batchSize: 50 })])).toThrow(/batching window/);
    expect(() => queueWiring([consumer('A', { maxReceiveCount: 0 })])).toThrow(/maxReceiveCount/);
    expect(() => queueWiring([consumer('A', { paceSeconds: 0 })])).toThrow(/paceSeconds/);
  });

  it("runs a paced sender as wide as holds its seconds of the stage's rate, from 2 up to its maxConcurrency", () => {
    const paced = { ...(consumer('A', { paceSeconds: 0.5, maxConcurrency: 20 }).triggers[0] as QueueTrigger) };
    expect(mappingConcurrency(paced, 1)).toBe(2);
    expect(mappingConcurrency(paced, 14)).toBe(2);
    expect(mappingConcurrency(paced, 100)).toBe(5);
    expect(mappingConcurrency(paced, 300)).toBe(15);
    expect(mappingConcurrency(paced, 1000)).toBe(20);
    expect(mappingConcurrency({ ...paced, maxConcurrency: undefined }, 1000)).toBe(50);
    expect(mappingConcurrency({ ...paced, paceSeconds: undefined }, 100)).toBe(20);
    expect(mappingConcurrency({ ...paced, paceSeconds: undefined, maxConcurrency: undefined }, 100)).toBeUndefined();
  });

  it('sizes the bulk sender on AWS by the stage setting', () => {
    // A second of 150/s in batches of 10.
    const { stack, template } = synth({ stage: 'prod', context: { sesRatePerSecond: 150 } });
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Resource[];
    const sender = mappings.find((m) => JSON.stringify(m.Properties.FunctionName).includes(functionLogicalId(stack, 'SendOutreach')));
    expect(sender?.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 15 });
  });

  it('still makes a queue nobody consumes yet, so a sender never finds it missing', () => {
    const wiring = queueWiring([consumer('A')]);
    expect(wiring.map((w) => w.name).sort()).toEqual([...queueNames].sort());
    expect(wiring.find((w) => w.name === 'confirmation-mail')?.consumer).toBeUndefined();
  });
});
