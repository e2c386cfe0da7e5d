import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFromContext, stackEnvironment } from '#infra/stack/settings.ts';
import { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { buildWidget } from '../widget/build.ts';

/**
 * `npx cdk synth -c stage=dev|prod|<any name>` (default dev). Each stage starts from its entry in
 * infra/stages.ts (an unlisted name from dev's); every other `-c key=value` overrides one setting (see
 * infra/stack/settings.ts), and the defaults let synth run offline. The account and region are the
 * stage's when infra/stages.ts pins them, else the CLI's; with neither, the stack is environment-agnostic.
 */
const app = new App();
const settings = settingsFromContext(app.node);
// Built at synth time (esbuild, a development dependency) and shipped by the stack's BucketDeployment.
const widgetScript = await buildWidget();

new TadamonStack(app, `Tadamon-${settings.stage}`, {
  settings,
  widgetScript,
  description: `Tadamon solidarity campaigns backend (${settings.stage})`,
  env: stackEnvironment(settings),
  terminationProtection: settings.retainData,
});

// Every finding either fixed or acknowledged where it arises, with its reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
