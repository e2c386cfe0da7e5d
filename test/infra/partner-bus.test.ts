import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { manifest } from '#infra/manifest.ts';
import { maxPartnerAccounts, settingsFromContext } from '#infra/stack/settings.ts';
import { buildApp, functionLogicalId } from './synth.ts';
import { flatTemplate } from './flat-template.ts';

/**
 * Partners' signatures in: the stage's own bus, a policy that lets exactly the partner accounts put exactly
 * `SignatureSubmitted` on it, and the rule that takes those events to RecordSubmittedSignature with the retries
 * and dead-letter queue of every event rule. Synthesised with the one function, for speed; the full stack's
 * rules are checked in stack.test.ts.
 */
const recorder = manifest.filter((spec) => spec.name === 'RecordSubmittedSignature');
const partners = ['111122223333', '444455556666'];

function synthWith(context: Record<string, unknown>) {
  const { app, stack } = buildApp({ manifest: recorder, context, nag: true });
  // cdk-nag runs as a validation plugin: an unacknowledged finding fails the synth.
  app.synth();
  return { stack, template: flatTemplate(stack) };
}

describe('the partner bus', () => {
  const { stack, template } = synthWith({ stage: 'prod', partnerAccounts: partners.join(',') });

  it('is a custom bus per stage, named after it, and its name and ARN are outputs', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'tadamon-prod' });
    const outputs = Template.fromStack(stack).toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['EventBusName', 'EventBusArn']));
  });

  it('lets exactly the partner accounts put events, of the SignatureSubmitted detail type only', () => {
    const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy')) as { Properties: { Statement: Record<string, unknown>; EventBusName: unknown } }[];
    expect(policies).toHaveLength(1);
    const statement = policies[0]!.Properties.Statement;
    expect(statement).toMatchObject({
      Sid: 'cdk-PartnerSignatures',
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'events:detail-type': 'SignatureSubmitted' } },
    });
    const principals = JSON.stringify((statement.Principal as { AWS: unknown }).AWS);
    for (const account of partners) expect(principals).toContain(`:iam::${account}:root`);
    expect((statement.Principal as { AWS: unknown[] }).AWS).toHaveLength(partners.length);
  });

  it('routes SignatureSubmitted on that bus to RecordSubmittedSignature, retried 24 hours, then dead-lettered', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as { Properties: Record<string, unknown> }[];
    const rule = rules.find((r) => JSON.stringify(r.Properties.Targets).includes(functionLogicalId(stack, 'RecordSubmittedSignature')));
    expect(rule?.Properties).toMatchObject({
      EventBusName: { Ref: expect.stringMatching(/^EventBus/) },
      EventPattern: { 'detail-type': ['SignatureSubmitted'] },
      Targets: [{ DeadLetterConfig: { Arn: expect.anything() }, RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 10 } }],
    });
    // Its events hold names and addresses: their dead letters are kept 3 days, not 14.
    template.hasResourceProperties('AWS::SQS::Queue', Match.objectLike({ MessageRetentionPeriod: 3 * 86_400 }));
  });

  it("gives the recorder the per-account limits of the stage's settings", () => {
    const fn = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { RATE_LIMIT_SOURCE_BURST: '2000/10' } } } });
    expect(Object.keys(fn)).toHaveLength(1);
  });

  it('has no policy at all when the stage names no partner', () => {
    const { template: alone } = synthWith({ stage: 'dev' });
    alone.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    alone.hasResourceProperties('AWS::Events::EventBus', { Name: 'tadamon-dev' });
  });
});

describe('partnerAccounts, a stage setting', () => {
  const settings = (context: Record<string, unknown>) => settingsFromContext(new App({ context }).node);

  it('is empty unless set, and takes a list from cdk.json or a comma-separated string from -c, once each', () => {
    expect(settings({}).partnerAccounts).toEqual([]);
    expect(settings({ partnerAccounts: ['111122223333'] }).partnerAccounts).toEqual(['111122223333']);
    expect(settings({ partnerAccounts: '111122223333, 444455556666,111122223333' }).partnerAccounts).toEqual(partners);
  });

  it('refuses anything but AWS account ids, and more than one policy holds', () => {
    expect(() => settings({ partnerAccounts: 'amnesty-ma' })).toThrow('Context "partnerAccounts" must list AWS account ids (12 digits), got "amnesty-ma"');
    expect(() => settings({ partnerAccounts: '*' })).toThrow(/12 digits/);
    const many = Array.from({ length: maxPartnerAccounts + 1 }, (_, i) => String(100_000_000_000 + i));
    expect(() => settings({ partnerAccounts: many })).toThrow(`at most ${maxPartnerAccounts} fit the bus policy`);
  });

  it('takes the per-account rate limits from context as the others', () => {
    expect(settings({ rateLimitSourceBurst: '50/10' }).rateLimits).toMatchObject({ sourceBurst: '50/10', sourceSustained: '200000/3600' });
    expect(() => settings({ rateLimitSourceSustained: 'lots' })).toThrow(/sourceSustained/);
  });
});
