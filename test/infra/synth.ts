import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { FunctionSpec } from '#infra/manifest.ts';
import { settingsFromContext, type Stage, stackEnvironment } from '#infra/stack/settings.ts';
import { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { flatTemplate } from './flat-template.ts';

export interface SynthOptions {
  stage?: Stage;
  manifest?: readonly FunctionSpec[];
  context?: Record<string, unknown>;
  /** Register the cdk-nag AwsSolutions pack, as infra/app.ts does. */
  nag?: boolean;
  /** The widget script the stack deploys; a stand-in by default, so tests need not run esbuild. */
  widgetScript?: string;
}

export const stubWidgetScript = 'customElements.define("tadamon-action",class extends HTMLElement{});';

/** The stack as infra/app.ts builds it, without bundling (no esbuild run: assertions need only the template). */
export function buildApp(options: SynthOptions = {}): { app: App; stack: TadamonStack } {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], stage: options.stage ?? 'dev', ...options.context },
  });
  const settings = settingsFromContext(app.node);
  const stack = new TadamonStack(app, `Tadamon-${settings.stage}`, {
    settings,
    widgetScript: options.widgetScript ?? stubWidgetScript,
    env: stackEnvironment(settings),
    terminationProtection: settings.retainData,
    ...(options.manifest ? { manifest: options.manifest } : {}),
  });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

export function synth(options: SynthOptions = {}): { stack: TadamonStack; template: Template; monitoring: Template } {
  const { stack } = buildApp(options);
  return { stack, template: flatTemplate(stack), monitoring: Template.fromStack(stack.monitoring) };
}

/** The logical id of a manifest function's AWS::Lambda::Function, to find what is wired to it. */
export function functionLogicalId(stack: TadamonStack, name: string): string {
  const fn = stack.functions.get(name);
  if (!fn) throw new Error(`No function ${name} in the stack`);
  return Stack.of(fn.function).getLogicalId(fn.function.node.defaultChild as CfnFunction);
}

/**
 * The stack's own functions (the manifest's), leaving out CDK's deploy-time handlers (the widget's
 * BucketDeployment, bucket auto-delete): those carry none of our environment.
 */
export function manifestFunctions(template: Template): { Properties: Record<string, unknown> }[] {
  return (Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }[]).filter(
    (fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'tadamon',
  );
}
