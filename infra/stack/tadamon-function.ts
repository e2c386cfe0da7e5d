import { join } from 'node:path';
import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { FunctionSpec } from '#infra/manifest.ts';

/** What a function may be granted; which of it it gets is the manifest's say. */
export interface FunctionResources {
  table: Table;
  eventBus: IEventBus;
  tokenSecret: ISecret;
  /** ARNs a mail-sending function may send through: the SES identity and the configuration set. */
  mailResources: string[];
}

export interface TadamonFunctionProps {
  spec: FunctionSpec;
  /** Absolute path of the repository root; `spec.entry` is relative to it. */
  projectRoot: string;
  environment: Record<string, string>;
  resources: FunctionResources;
  removalPolicy: RemovalPolicy;
  /** How long CloudWatch keeps this function's logs (the stage's logRetentionDays). */
  logRetention: RetentionDays;
}

/** esbuild's ESM output has no `require`; some bundled CommonJS dependencies still call it. */
const bundlingBanner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * One manifest entry as a Lambda function: the runtime, bundling, log group, role and grants in one place,
 * so every function is built the same way and gets exactly what its manifest entry says.
 */
export class TadamonFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  readonly spec: FunctionSpec;
  private dataKeyAcknowledged = false;

  constructor(scope: Construct, id: string, props: TadamonFunctionProps) {
    super(scope, id);
    const { spec, resources } = props;
    this.spec = spec;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    // Not Lambda's default role: its AWS-managed policy may write to any log group. This one writes to its own.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Tadamon ${spec.name} (${spec.entry})`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(props.projectRoot, spec.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
      ...(spec.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: spec.reservedConcurrency }),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      description: `${spec.name}: ${spec.entry}`,
      environment: {
        ...props.environment,
        ...(spec.table ? { TOKEN_SECRET_ARN: resources.tokenSecret.secretArn } : {}),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: bundlingBanner,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        charset: Charset.UTF8,
        // Bundle the AWS SDK too: the versions in package-lock.json are the versions that run.
        externalModules: [],
        forceDockerBundling: false,
      },
    });

    if (spec.table === 'read') resources.table.grantReadData(this.role);
    if (spec.table === 'write') {
      resources.table.grantReadWriteData(this.role);
      this.acknowledgeDataKeyWildcards();
    }
    // Tokens, cursors and email keys are HMACs under this secret; every function with data needs it.
    if (spec.table) resources.tokenSecret.grantRead(this.role);
    if (spec.putsEvents) resources.eventBus.grantPutEventsTo(this.role);
    if (spec.sendsEmail) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['ses:SendRawEmail', 'ses:SendEmail'], resources: resources.mailResources }),
      );
    }

    // Findings that the grants above must produce, each acknowledged for exactly this role.
    const readsStream = spec.triggers.some((trigger) => trigger.type === 'stream');
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: readsStream
        ? 'X-Ray PutTraceSegments/PutTelemetryRecords and dynamodb:ListStreams have no resource-level permissions.'
        : 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions.',
    });
    if (spec.table || readsStream) {
      const tableId = Stack.of(this).getLogicalId(resources.table.node.defaultChild as CfnTable);
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
        reason: "Queries use this table's own GSIs (tableDefinition.indexes); the wildcard reaches no other table.",
      });
    }
  }

  /** CDK's grants on a KMS-encrypted table or queue name `kms:ReEncrypt*` and `kms:GenerateDataKey*`. */
  acknowledgeDataKeyWildcards(): void {
    if (this.dataKeyAcknowledged) return;
    this.dataKeyAcknowledged = true;
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: "CDK's standard encrypt/decrypt grant, limited to the stack's own data key.",
      });
    }
  }
}
