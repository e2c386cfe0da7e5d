import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifest } from '#infra/manifest.ts';
import { type DeploymentSettings, settingsFromContext } from '#infra/stack/settings.ts';
import type { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { stages } from '#infra/stages.ts';
import { fakeManifest } from './fake-manifest.ts';
import { buildApp, functionLogicalId, synth } from './synth.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };

const settings = (context: Record<string, unknown>): DeploymentSettings => settingsFromContext(new App({ context }).node);

describe('stage settings: infra/stages.ts, then context', () => {
  it('starts each stage from its entry in infra/stages.ts', () => {
    expect(settings({ stage: 'prod' })).toMatchObject({ stage: 'prod', ...stages.prod });
    expect(settings({})).toMatchObject({ stage: 'dev', ...stages.dev });
    expect(settings({ stage: 'prod' }).retainData).toBe(true);
    expect(settings({ stage: 'dev' }).retainData).toBe(false);
  });

  it("lets any other stage name start from dev's (disposable) settings, and context keep its data", () => {
    expect(settings({ stage: 'pr-42' })).toMatchObject({ ...stages.dev, stage: 'pr-42' });
    expect(settings({ stage: 'staging', retainData: 'true' }).retainData).toBe(true);
  });

  it('overrides every field from context, strings from -c as well as typed cdk.json values', () => {
    const s = settings({
      stage: 'prod',
      region: 'eu-central-1',
      account: '123456789012',
      alarmEmail: 'alarms@example.net',
      logRetentionDays: '90',
      confirmationTtlDays: 3,
      retentionDaysAfterClose: '365',
      rateLimitIpBurst: '10/10',
      rateLimitCampaignSustained: '0',
      digestSchedule: '0 7 * * TUE',
      captchaProvider: 'turnstile',
      captchaSecretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:turnstile-AbCdEf',
      captchaSiteKey: '0x4AAAAAAAB3cD4eF5gH6iJ7',
      senderEmail: 'act@example.net',
      senderDomain: 'example.net',
      mailFromSubdomain: 'bounce',
      allowedOrigins: ['https://a.example.net', 'https://b.example.net'],
      pointInTimeRecoveryDays: '7',
      developmentRoutes: 'true',
      warmWriteUnitsPerSecond: '20000',
    });
    expect(s).toMatchObject({
      region: 'eu-central-1',
      account: '123456789012',
      alarmEmail: 'alarms@example.net',
      logRetentionDays: 90,
      confirmationTtlDays: 3,
      retentionDaysAfterClose: 365,
      rateLimits: { ipBurst: '10/10', ipSustained: '500/3600', campaignBurst: '25000/10', campaignSustained: '0' },
      schedules: { WeeklyDigest: '0 7 * * TUE' },
      captcha: { provider: 'turnstile', secretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:turnstile-AbCdEf', siteKey: '0x4AAAAAAAB3cD4eF5gH6iJ7' },
      mailFromSubdomain: 'bounce',
      allowedOrigins: ['https://a.example.net', 'https://b.example.net'],
      pointInTimeRecoveryDays: 7,
      developmentRoutes: true,
      warmWriteUnitsPerSecond: 20_000,
      throttle: stages.prod.throttle,
    });
  });

  it('deploys no development route and keeps 35 days of point-in-time recovery unless a stage says otherwise', () => {
    for (const stage of ['dev', 'prod', 'pr-42']) expect(settings({ stage }), stage).toMatchObject({ developmentRoutes: false, pointInTimeRecoveryDays: 35 });
  });

  it('refuses settings that would fail later, at deploy time or at the first request', () => {
    expect(() => settings({ logRetentionDays: 45 })).toThrow(/logRetentionDays/);
    expect(() => settings({ warmWriteUnitsPerSecond: 100_000 })).toThrow(/warmWriteUnitsPerSecond.*40000/);
    expect(() => settings({ confirmationTtlDays: 1.5 })).toThrow(/whole number/);
    expect(() => settings({ rateLimitIpBurst: 'lots' })).toThrow(/COUNT\/SECONDS/);
    expect(() => settings({ digestSchedule: '0 8 1 * MON' })).toThrow(/day-of-month and day-of-week/);
    expect(() => settings({ captchaProvider: 'recaptcha' })).toThrow(/captchaProvider/);
    expect(() => settings({ captchaProvider: 'hcaptcha' })).toThrow(/captchaSecretArn/);
    expect(() => settings({ captchaProvider: 'hcaptcha', captchaSecretArn: 'my-secret' })).toThrow(/ARN/);
    expect(() => settings({ captchaSiteKey: '0x4AAAAAAAB3cD4eF5gH6iJ7' })).toThrow(/captchaProvider/);
    const hcaptcha = { captchaProvider: 'hcaptcha', captchaSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hcaptcha-AbCdEf' };
    expect(() => settings({ ...hcaptcha, captchaSiteKey: '"><script>' })).toThrow(/site key/);
    expect(settings({ ...hcaptcha, captchaSiteKey: '10000000-ffff-ffff-ffff-000000000001' }).captcha.siteKey).toBe('10000000-ffff-ffff-ffff-000000000001');
    expect(() => settings({ mailFromSubdomain: 'bounce' })).toThrow(/senderDomain/);
    expect(() => settings({ senderEmail: 'a@example.net', senderDomain: 'example.net', mailFromSubdomain: 'a.b' })).toThrow(/DNS label/);
    expect(() => settings({ alarmEmail: 'nobody' })).toThrow(/alarmEmail/);
    expect(() => settings({ retainData: 'yes' })).toThrow(/retainData/);
    expect(() => settings({ developmentRoutes: 'yes' })).toThrow(/developmentRoutes/);
    expect(() => settings({ pointInTimeRecoveryDays: 36 })).toThrow(/pointInTimeRecoveryDays/);
    expect(() => settings({ pointInTimeRecoveryDays: '0' })).toThrow(/pointInTimeRecoveryDays/);
  });
});

describe('a deployment with every option set', () => {
  const captchaSecretArn = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:turnstile-AbCdEf';
  let stack: TadamonStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synth({
      stage: 'prod',
      context: {
        region: 'eu-central-1',
        senderEmail: 'act@example.net',
        senderDomain: 'example.net',
        mailFromSubdomain: 'bounce',
        digestSchedule: '30 6 * * TUE',
        captchaProvider: 'turnstile',
        captchaSecretArn,
        captchaSiteKey: '0x4AAAAAAAB3cD4eF5gH6iJ7',
        developmentRoutes: 'true',
        logRetentionDays: 90,
        confirmationTtlDays: 3,
        alarmEmail: 'alarms@example.net',
      },
    }));
  });

  it('deploys to the stage region', () => {
    expect(stack.region).toBe('eu-central-1');
    expect(stack.terminationProtection).toBe(true);
  });

  it('overrides the digest schedule and leaves the others as the manifest says', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Resource[];
    const of = (name: string) => schedules.find((s) => JSON.stringify(s.Properties.Target).includes(functionLogicalId(stack, name)))?.Properties;
    expect(of('WeeklyDigest')).toMatchObject({ ScheduleExpression: 'cron(30 6 ? * TUE *)', Description: 'WeeklyDigest: 30 6 * * TUE (UTC)' });
    expect(of('ReconcileCounts')).toMatchObject({ ScheduleExpression: 'cron(17 3 * * ? *)' });
  });

  it('gives the captcha provider and the secret (resolved by CloudFormation, never in the template) to public submission routes only', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    for (const spec of manifest) {
      const env = (functions[functionLogicalId(stack, spec.name)]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      if (spec.captcha === 'verifies') {
        expect(env.CAPTCHA_PROVIDER, spec.name).toBe('turnstile');
        expect(env.CAPTCHA_SECRET, spec.name).toBe(`{{resolve:secretsmanager:${captchaSecretArn}:SecretString:::}}`);
      } else {
        expect(env.CAPTCHA_SECRET, spec.name).toBeUndefined();
      }
      expect(env.CONFIRMATION_TTL_DAYS).toBe('3');
    }
    // The functions whose handler calls the abuse guard (which verifies the captcha) are exactly those the
    // manifest says verify it.
    const callsGuard = manifest.filter((spec) => readFileSync(path.join(root, spec.entry), 'utf8').includes('guardSubmission(')).map((spec) => spec.name);
    expect(manifest.filter((spec) => spec.captcha === 'verifies').map((spec) => spec.name)).toEqual(callsGuard);
    for (const name of ['CreateSignature', 'CreateEndorsement', 'CreateSubscription', 'RequestErasure']) {
      expect((functions[functionLogicalId(stack, name)]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables.CAPTCHA_PROVIDER).toBe('turnstile');
    }
  });

  it('tells the pages with the widget (demo, campaign) which challenge it shows: the provider and the public site key, never the secret', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const pages = ['GetDemoPage', 'GetCampaignPage'];
    expect(manifest.filter((s) => s.captcha === 'shows').map((s) => s.name).sort()).toEqual([...pages].sort());
    for (const name of pages) {
      const env = (functions[functionLogicalId(stack, name)]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env, name).toMatchObject({ CAPTCHA_PROVIDER: 'turnstile', CAPTCHA_SITE_KEY: '0x4AAAAAAAB3cD4eF5gH6iJ7' });
      expect(env, name).not.toHaveProperty('CAPTCHA_SECRET');
      // No function builds the widget on AWS: the page loads it from the deployment's CloudFront distribution.
      expect(env.WIDGET_URL, name).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^WidgetDistribution/), 'DomainName'] }, '/widget.js']] });
    }
    for (const spec of manifest.filter((s) => !pages.includes(s.name))) {
      expect((functions[functionLogicalId(stack, spec.name)]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables, spec.name).not.toHaveProperty('CAPTCHA_SITE_KEY');
    }
  });

  it('keeps logs as long as the context says', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup')) as Resource[];
    expect(groups.every((g) => g.Properties.RetentionInDays === 90)).toBe(true);
  });

  it('manages the sender domain with Easy DKIM and a custom MAIL FROM, and outputs the DNS records to publish', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'example.net',
      MailFromAttributes: { MailFromDomain: 'bounce.example.net', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
    const outputs = Object.fromEntries(Object.entries(template.findOutputs('*')).filter(([id]) => id.startsWith('SenderDnsRecord')));
    expect(Object.keys(outputs)).toHaveLength(5); // three DKIM CNAMEs, MX and SPF for MAIL FROM
    const values = JSON.stringify(outputs);
    expect(values).toContain('DkimDNSTokenName1');
    expect(values).toContain('bounce.example.net MX 10 feedback-smtp.eu-central-1.amazonses.com');
    expect(values).toContain('v=spf1 include:amazonses.com ~all');
  });
});

describe('stage checks at synth', () => {
  it('refuses a schedule override for a function the manifest does not schedule', () => {
    expect(() => synth({ manifest: fakeManifest, context: { digestSchedule: '0 7 * * TUE' } })).toThrow(/WeeklyDigest/);
  });

  it('warns when a data-keeping stage still sends from the placeholder and alarms nobody', () => {
    const { stack } = buildApp({ stage: 'prod' });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('*', Match.stringLikeRegexp('set senderEmail'));
    annotations.hasWarning('*', Match.stringLikeRegexp('no alarmEmail'));
    const configured = buildApp({ stage: 'prod', context: { senderEmail: 'act@example.net', alarmEmail: 'alarms@example.net' } }).stack;
    expect(Annotations.fromStack(configured).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
