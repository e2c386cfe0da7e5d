import { dirname, join } from 'node:path';
import { ArnFormat, Duration, Names, type RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Charset, type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { FunctionSpec, SecretName } from '#infra/manifest.ts';
import { functionBundling, functionDefines } from './bundling.ts';

/** What a function may be granted; which of it it gets is the manifest's say. */
export interface FunctionResources {
  table: Table;
  /** The limits table (no stream, TTL): for the functions whose manifest entry sets `limits`. */
  limitsTable: Table;
  eventBus: IEventBus;
  /** Each secret a manifest entry may name; shared/config.ts reads it from `<NAME>_ARN` at cold start. */
  secrets: Record<SecretName, ISecret>;
  /** ARNs a mail-sending function may send through: the SES identity and the configuration set. */
  mailResources: string[];
  /** Where partners' connector keys live (`tadamon/<stage>/`) and the key that encrypts them: for `connectorKeys`. */
  connectorKeys: { namePrefix: string; key: IKey };
}

/** The secrets a connector function may touch: the stage's Action Network keys, and no other secret of the account. */
export const connectorKeyNames = (namePrefix: string) => `${namePrefix}action-network/*`;
const connectorKeyActions = {
  read: ['secretsmanager:GetSecretValue'],
  manage: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret', 'secretsmanager:RestoreSecret'],
} as const;

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

/** NodejsFunction's hooks that copy `files` (bundle path → repository path) into the bundle's folder. */
function copyBesideBundle(files: Record<string, string>, projectRoot: string): ICommandHooks {
  const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) =>
      Object.entries(files).map(([to, from]) => `mkdir -p ${quote(dirname(join(outputDir, to)))} && cp ${quote(join(projectRoot, from))} ${quote(join(outputDir, to))}`),
  };
}

/** The variable that hands each secret's ARN to shared/config.ts. */
export const secretArnVariables: Record<SecretName, string> = { links: 'TOKEN_SECRET_ARN', cursors: 'CURSOR_SECRET_ARN' };

// What CDK's grantReadData / grantReadWriteData allow on items, less Scan (which no key condition limits) and
// DescribeTable (which no handler with `items` calls).
const itemReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const itemWriteActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

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
      // No X-Ray: without the Powertools tracer wrapping each SDK client, a trace shows only Lambda's own
      // segment, which the REPORT log line already says; traces cost $5 a million past the free 100,000,
      // about as much as the rest of a viral month's monitoring. Metrics and structured logs carry the story.
      tracing: Tracing.DISABLED,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      description: `${spec.name}: ${spec.entry}`,
      environment: {
        ...props.environment,
        ...Object.fromEntries((spec.secrets ?? []).map((name) => [secretArnVariables[name], resources.secrets[name].secretArn])),
        ...(spec.connectorKeys
          ? { CONNECTOR_SECRET_PREFIX: resources.connectorKeys.namePrefix, ...(spec.connectorKeys === 'manage' ? { CONNECTOR_SECRET_KMS_KEY: resources.connectorKeys.key.keyArn } : {}) }
          : {}),
      },
      // One set of options (bundling.ts), which the bundle and cold-start benchmarks build with too.
      bundling: {
        format: OutputFormat.ESM,
        target: functionBundling.target,
        mainFields: [...functionBundling.mainFields],
        banner: functionBundling.banner,
        minify: functionBundling.minify,
        sourceMap: functionBundling.sourcemap,
        sourcesContent: functionBundling.sourcesContent,
        charset: Charset.UTF8,
        externalModules: [...functionBundling.external],
        esbuildArgs: Object.fromEntries(Object.entries(functionBundling.alias).map(([from, to]) => [`--alias:${from}`, to])),
        define: functionDefines(spec.secrets),
        forceDockerBundling: false,
        // Files the code reads at run time (the delivery document's fonts) go beside the bundle.
        ...(spec.bundleFiles ? { commandHooks: copyBesideBundle(spec.bundleFiles, props.projectRoot) } : {}),
      },
    });

    this.grantTable(resources.table);
    // Every limit (abuse windows, mailbox caps, the sending pace) is read and written by its key: items only, no
    // Scan, no DescribeTable, so a function with narrowed `items` on the main table stays as narrow here.
    if (spec.limits) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...itemReadActions, ...itemWriteActions], resources: [resources.limitsTable.tableArn] }));
    }
    for (const name of spec.secrets ?? []) this.grantSecret(resources.secrets[name]);
    if (spec.connectorKeys) this.grantConnectorKeys(resources.connectorKeys, spec.connectorKeys);
    if (spec.putsEvents) resources.eventBus.grantPutEventsTo(this.role);
    if (spec.sendsEmail) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['ses:SendRawEmail', 'ses:SendEmail'], resources: resources.mailResources }),
      );
    }

    // Findings that the grants above must produce, each acknowledged for exactly this role.
    const readsStream = spec.triggers.some((trigger) => trigger.type === 'stream');
    if (readsStream) {
      Validations.of(this.role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'dynamodb:ListStreams has no resource-level permissions.' });
    }
  }

  /**
   * The manifest's `table`, narrowed by `items` where it lists them: a `dynamodb:LeadingKeys` condition on the
   * table's items (partition keys only; Scan, which no key condition limits, is left out) and Query on the
   * named indexes alone. DynamoDB defines LeadingKeys on the table's partition key, so index queries get a
   * statement of their own rather than relying on it.
   */
  private grantTable(table: Table): void {
    const { spec } = this;
    if (spec.indexes && !spec.items) throw new Error(`${spec.name}: "indexes" narrows "items"; without "items" every index is granted`);
    if (spec.items && spec.table !== 'read' && spec.table !== 'write') throw new Error(`${spec.name}: "items" needs table access to narrow`);
    if (spec.scan && spec.table !== 'read') throw new Error(`${spec.name}: "scan" reads every item, and is given to read-only functions alone`);
    if (spec.table === 'describe') {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [table.tableArn] }));
      return;
    }
    if (!spec.table) return;
    const write = spec.table === 'write';
    if (write) this.acknowledgeDataKeyWildcards();
    if (!spec.items) {
      if (write) table.grantReadWriteData(this.role);
      else table.grantReadData(this.role);
      // From a nested stack the table's ARN arrives as a parameter CDK names after the table.
      const cfnTable = table.node.defaultChild as CfnTable;
      const tableArn = Stack.of(table) === Stack.of(this) ? `${Stack.of(this).getLogicalId(cfnTable)}.Arn` : `referenceto${Names.uniqueId(cfnTable)}Arn`;
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tableArn}>/index/*]`,
        reason: "Queries use this table's own GSIs (tableDefinition.indexes); the wildcard reaches no other table.",
      });
      return;
    }
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...itemReadActions, ...(write ? itemWriteActions : [])],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': spec.items } },
      }),
    );
    if (spec.indexes?.length) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['dynamodb:Query'], resources: spec.indexes.map((index) => `${table.tableArn}/index/${index}`) }),
      );
    }
    // No LeadingKeys condition: a Scan names no partition key, and `ForAllValues` over none would allow it anyway.
    if (spec.scan) this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [table.tableArn] }));
    table.encryptionKey?.grant(this.role, 'kms:Decrypt', 'kms:DescribeKey', ...(write ? ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'] : []));
  }

  /**
   * Secrets Manager's grant also names the role in the key's policy. From a nested stack that would make the
   * key (main stack) depend on the role and the role on the key; the key's default policy lets the account's
   * own IAM policies grant its use, so there the role's policy alone says it, limited to Secrets Manager.
   */
  private grantSecret(secret: ISecret): void {
    const key = secret.encryptionKey;
    if (!key || Stack.of(key) === Stack.of(this)) {
      secret.grantRead(this.role);
      return;
    }
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [secret.secretArn] }));
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  /**
   * Partners' connector keys: the Secrets Manager actions of `access` on the stage's connector names alone (a name
   * prefix, since the secrets are made at run time, each with a random suffix), and the data key they are encrypted
   * with, only through Secrets Manager.
   */
  private grantConnectorKeys(connectorKeys: FunctionResources['connectorKeys'], access: 'read' | 'manage'): void {
    const stack = Stack.of(this);
    const names = connectorKeyNames(connectorKeys.namePrefix);
    const arn = stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: names, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...connectorKeyActions[access]], resources: [arn] }));
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: access === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [connectorKeys.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
      }),
    );
    // cdk-nag names the finding after the resource as written: a pseudo parameter as `<AWS::…>`, a stage's own region or account as is.
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:${shown(stack.region, 'Region')}:${shown(stack.account, 'AccountId')}:secret:${names}]`,
      reason: "Partners' keys are made at run time, one per connector: the grant is the stage's connector name prefix, no other secret.",
    });
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
