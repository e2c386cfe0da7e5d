import { Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import type { Stage } from '#infra/stack/settings.ts';
import { fakeManifest } from './fake-manifest.ts';
import { buildApp } from './synth.ts';

/**
 * cdk-nag 3 is a policy-validation plugin: under vitest (NODE_ENV=test, "in-memory" app mode) app.synth()
 * throws a ValidationFailed error carrying the report when any finding, error or warning, is unacknowledged.
 */
function nagReport(stage: Stage, options: Parameters<typeof buildApp>[0] = {}): string {
  const { app } = buildApp({ ...options, stage, nag: true });
  try {
    app.synth();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('cdk-nag AwsSolutions checks', () => {
  for (const stage of ['dev', 'prod'] as const) {
    it(`finds nothing unacknowledged in the ${stage} stack`, () => {
      expect(nagReport(stage)).toBe('');
    });

    it(`finds nothing unacknowledged in the ${stage} stack with event and schedule triggers and a managed domain`, () => {
      expect(nagReport(stage, { manifest: fakeManifest, context: { senderDomain: 'example.org' } })).toBe('');
    });
  }

  it('finds nothing unacknowledged with every option set (MAIL FROM, captcha secret, alarm email, schedule override, development routes)', () => {
    const context = {
      senderEmail: 'act@example.net',
      senderDomain: 'example.net',
      mailFromSubdomain: 'bounce',
      captchaProvider: 'hcaptcha',
      captchaSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hcaptcha-AbCdEf',
      alarmEmail: 'alarms@example.net',
      digestSchedule: '0 7 * * TUE',
      developmentRoutes: 'true',
      pointInTimeRecoveryDays: '14',
      region: 'us-east-1',
    };
    expect(nagReport('prod', { context })).toBe('');
  });

  it('checks the monitoring nested stack too', () => {
    const { app, stack } = buildApp({ nag: true });
    new Queue(stack.monitoring, 'Unencrypted', { enforceSSL: false });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it('does fail synth on a finding nobody acknowledged', () => {
    const { app, stack } = buildApp({ nag: true });
    new Queue(Stack.of(stack), 'Unencrypted', { enforceSSL: false });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});
