import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFromContext } from '#infra/stack/settings.ts';
import { TadamonStack } from '#infra/stack/tadamon-stack.ts';

/**
 * `npx cdk synth -c stage=dev|prod` (default dev). Every other setting is context too, with defaults that let
 * synth run offline; see infra/stack/settings.ts. The account and region come from the CLI's credentials
 * when there are any; without them the stack is environment-agnostic.
 */
const app = new App();
const settings = settingsFromContext(app.node);

new TadamonStack(app, `Tadamon-${settings.stage}`, {
  settings,
  description: `Tadamon solidarity campaigns backend (${settings.stage})`,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  terminationProtection: settings.stage === 'prod',
});

// Every finding either fixed or acknowledged where it arises, with its reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
