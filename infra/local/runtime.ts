import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { manifest, type EventTrigger, type HttpTrigger, type ScheduleTrigger, type StreamTrigger } from '#infra/manifest.ts';
import { config, resetConfig } from '#shared/config.ts';
import { db } from '#shared/store/table.ts';
import { secureDataDir } from './data-dir.ts';
import { loadDemoCampaigns } from './demo-data.ts';
import { ensureLimitsTable, ensureTable, localClient, localStreamsClient, startDynamoDbLocal, streamArn, type RunningDynamo } from './dynamodb-local.ts';
import { LocalApiDestinations, type ApiDestinationState } from './api-destinations.ts';
import { EventBus, type FailedDelivery } from './event-bus.ts';
import { recordWebhookAttempt } from './webhook-attempts.ts';
import { noFaults, type StreamFaults } from './faults.ts';
import { loadFunction } from './functions.ts';
import { Gateway } from './gateway.ts';
import { asFunction, guardItemAccess } from './item-access.ts';
import { startLocalInbox } from './inbox.ts';
import { Scheduler } from './scheduler.ts';
import { LocalSecretsManager, type SecretsState } from './secrets-manager.ts';
import { JwtAuthorizer, type JwtAuthorizerOptions } from './jwt-authorizer.ts';
import { TtlSweeper } from './ttl-sweeper.ts';
import { JsonLines, StateFile } from './state-file.ts';
import { StreamPoller, type Checkpoints, type DeadLetter } from './stream-poller.ts';
import { QueuePoller } from './queue-poller.ts';
import { LocalQueues, type QueueDeadLetter } from './queue-service.ts';
import { localQueueConsumers, localQueueDefinitions, queueEnvironment } from './queues.ts';

export interface LocalOptions {
  port: number;
  publicUrl?: string;
  adminToken?: string;
  /** Where data lives across restarts; undefined keeps everything in memory (tests, benchmarks). */
  dataDir?: string;
  sesPort: number;
  dynamoEndpoint?: string;
  sesEndpoint?: string;
  demoData: boolean;
  tableName?: string;
  faults?: StreamFaults;
  /** The same faults for queue deliveries (Lambda's SQS mapping). */
  queueFaults?: StreamFaults;
  /** Webhook deliveries' attempts and first backoff (EventBridge's 24 hours, compressed); default 4 and 200 ms. */
  webhookRetry?: { maxAttempts?: number; backoffMs?: number };
  /** Every queue's visibility timeout instead of its trigger's: tests and scaled benchmarks see a failed message again sooner. */
  queueVisibilityTimeoutSeconds?: number;
  mailFrom?: string;
  /** Operator routes take JWTs from this issuer instead of the admin token, as API Gateway's authorizer does on AWS. */
  operatorJwt?: JwtAuthorizerOptions;
}

export interface LocalStack {
  url: string;
  inboxUrl: string | undefined;
  /** The local EventBridge endpoint: tests put events on it as AWS services would (SES bounces, say). */
  eventBusUrl: string;
  adminToken: string;
  deadLetters: () => readonly DeadLetter[];
  failedDeliveries: () => readonly FailedDelivery[];
  /** Messages a queue moved to its dead-letter queue (ids only; the messages themselves wait there for a redrive). */
  queueDeadLetters: () => readonly QueueDeadLetter[];
  /** The local SQS endpoint (AWS JSON protocol), as handlers reach it through AWS_ENDPOINT_URL_SQS. */
  queuesUrl: string;
  /** The local Secrets Manager (connectors' keys), as handlers reach it through AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  secretsManagerUrl: string;
  /**
   * Resolves once the stream consumers, the bus and the queue consumers have nothing under way (a message a
   * consumer failed waits out its visibility timeout, hidden: it is not under way until it comes again).
   */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

interface Secrets {
  tokenSecret?: string;
  cursorSecret?: string;
  adminToken?: string;
}

/** What the local stack keeps in DATA_DIR (and nothing else there is its to change). */
const dataFiles = {
  secrets: 'secrets.json',
  checkpoints: 'stream-checkpoints.json',
  deadLetters: 'dead-letters.jsonl',
  failedDeliveries: 'failed-event-deliveries.jsonl',
  queues: 'queues.jsonl',
  queueDeadLetters: 'queue-dead-letters.jsonl',
  // Partners' connector keys, as the local Secrets Manager keeps them (secrets-manager.ts).
  connectorSecrets: 'connector-secrets.json',
  // Webhooks' connections, API destinations and rules, made at run time as on AWS (api-destinations.ts).
  webhookDestinations: 'webhook-destinations.json',
  database: 'dynamodb',
} as const;
const stateFiles = [dataFiles.secrets, dataFiles.checkpoints, dataFiles.queues, dataFiles.webhookDestinations, dataFiles.connectorSecrets].map((name) => `${name}.tmp`);

/**
 * The whole system on one machine: DynamoDB Local, the local inbox, the event bus, the stream poller, the
 * scheduler and the HTTP gateway, all wired from the manifest and running the real handlers.
 */
export async function startLocalStack(options: LocalOptions): Promise<LocalStack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => console.error('stop failed:', e));
  };
  try {
    return await start(options, stops, stopAll);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function start(options: LocalOptions, stops: (() => Promise<void>)[], stopAll: () => Promise<void>): Promise<LocalStack> {
  const file = (name: string) => (options.dataDir ? path.join(options.dataDir, name) : undefined);
  if (options.dataDir) secureDataDir(options.dataDir, [...Object.values(dataFiles), ...stateFiles]);
  const secrets = new StateFile<Secrets>(file(dataFiles.secrets), {});
  // Secrets are made once and kept: dedupe keys, confirmation links and cursors must survive a restart.
  secrets.update((s) => {
    s.tokenSecret ??= randomBytes(32).toString('base64url');
    s.cursorSecret ??= randomBytes(32).toString('base64url');
    // Hex, so the token never begins with '-' and reads as an option when passed on a command line.
    s.adminToken ??= randomBytes(24).toString('hex');
  });
  const adminToken = options.adminToken ?? secrets.get().adminToken!;
  const tableName = options.tableName ?? 'tadamon';

  let dynamo: RunningDynamo | undefined;
  if (!options.dynamoEndpoint) {
    dynamo = await startDynamoDbLocal(file(dataFiles.database));
    stops.push(() => dynamo!.stop());
  }
  const dynamoEndpoint = options.dynamoEndpoint ?? dynamo!.endpoint;

  let inboxUrl: string | undefined;
  if (!options.sesEndpoint) {
    const inbox = await startLocalInbox(options.sesPort);
    inboxUrl = inbox.url;
    stops.push(() => inbox.stop());
  }

  const targets = manifest.flatMap((spec) => spec.triggers.filter((t): t is EventTrigger => t.type === 'event').map((t) => ({ spec, t })));
  const failedDeliveries = new JsonLines<FailedDelivery>(file(dataFiles.failedDeliveries));
  const invokers = new Map(await Promise.all(manifest.map(async (spec) => [spec.name, await loadFunctionLater(spec)] as const)));
  const bus = new EventBus(
    targets.map(({ spec, t }) => ({ name: spec.name, pattern: t.pattern, invoke: invokers.get(spec.name)! })),
    failedDeliveries,
    new LocalApiDestinations({
      state: new StateFile<ApiDestinationState>(file(dataFiles.webhookDestinations), LocalApiDestinations.initialState()),
      onAttempt: recordWebhookAttempt,
      ...(options.webhookRetry ?? {}),
    }),
  );
  const busPort = await bus.listen();
  stops.push(() => bus.close());

  // Queues keep what they were given across a restart; they stop after everything that sends to them.
  const queueDeadLetters = new JsonLines<QueueDeadLetter>(file(dataFiles.queueDeadLetters));
  const visibility = options.queueVisibilityTimeoutSeconds === undefined ? {} : { visibilityTimeoutSeconds: options.queueVisibilityTimeoutSeconds };
  const queues = new LocalQueues(localQueueDefinitions(manifest, visibility), { file: file(dataFiles.queues), onDeadLetter: (letter) => queueDeadLetters.append(letter) });
  await queues.listen();
  stops.push(() => queues.close());

  // Partners' connector keys (shared/connectors/connector-keys.ts), kept as Secrets Manager keeps them on AWS.
  const secretsManager = new LocalSecretsManager(new StateFile<SecretsState>(file(dataFiles.connectorSecrets), { secrets: {} }));
  const secretsManagerUrl = await secretsManager.listen();
  stops.push(() => secretsManager.close());

  Object.assign(process.env, {
    ...queueEnvironment(queues, manifest),
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SES: options.sesEndpoint ?? inboxUrl,
    AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${busPort}`,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManagerUrl,
    TABLE_NAME: tableName,
    LIMITS_TABLE_NAME: `${tableName}-limits`,
    PUBLIC_URL: options.publicUrl ?? `http://localhost:${options.port}`,
    ADMIN_TOKEN: adminToken,
    TOKEN_SECRET: secrets.get().tokenSecret,
    CURSOR_SECRET: secrets.get().cursorSecret,
    ...(options.mailFrom ? { MAIL_FROM: options.mailFrom } : {}),
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'WARN',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  resetConfig();
  // The handlers' shared client, which refuses what a function's grant on AWS would not allow.
  guardItemAccess(db());

  const client = localClient(dynamoEndpoint);
  const { created, latestStreamArn } = await ensureTable(client, tableName);
  await ensureLimitsTable(client, `${tableName}-limits`);

  const consumers = manifest.flatMap((spec) =>
    spec.triggers.filter((t): t is StreamTrigger => t.type === 'stream').map((trigger) => ({ name: spec.name, trigger, invoke: invokers.get(spec.name)! })),
  );
  const deadLetters = new JsonLines<DeadLetter>(file(dataFiles.deadLetters));
  const streams = localStreamsClient(dynamoEndpoint);
  const poller = new StreamPoller({
    client: streams,
    // Only a table without a stream asks again, for streamArn's error.
    streamArn: latestStreamArn ?? (await streamArn(client, tableName)),
    consumers,
    checkpoints: new StateFile<Checkpoints>(file(dataFiles.checkpoints), {}),
    deadLetters,
    faults: options.faults ?? noFaults,
  });
  poller.start();
  stops.push(() => poller.stop());

  // The queue service, started before both pollers, stops after both: a batch the router is still forwarding
  // when the stack stops finds its queue up, and what it put there is in the journal for the next start.
  const queuePoller = new QueuePoller({ queues, consumers: localQueueConsumers(manifest, invokers, config().SES_RATE_PER_SECOND), faults: options.queueFaults ?? noFaults });
  queuePoller.start();
  stops.push(() => queuePoller.stop());

  for (const swept of [tableName, `${tableName}-limits`]) {
    const sweeper = new TtlSweeper(client, swept);
    sweeper.start();
    stops.push(() => sweeper.stop());
  }

  const scheduler = new Scheduler(
    manifest.flatMap((spec) =>
      spec.triggers.filter((t): t is ScheduleTrigger => t.type === 'schedule').map((t) => ({ name: spec.name, cron: t.cron, invoke: invokers.get(spec.name)! })),
    ),
  );
  scheduler.start();
  stops.push(() => scheduler.stop());

  if (created && options.demoData) {
    const count = await loadDemoCampaigns();
    console.log(`Loaded ${count} demo campaigns.`);
  }

  const gateway = new Gateway(
    manifest.flatMap((spec) =>
      spec.triggers.filter((t): t is HttpTrigger => t.type === 'http').map((trigger) => ({ trigger, invoke: invokers.get(spec.name)! })),
    ),
    options.operatorJwt ? { authorizer: new JwtAuthorizer(options.operatorJwt) } : {},
  );
  const port = await gateway.listen(options.port);
  // The gateway stops first, so no request is cut off while the parts it needs are still up.
  stops.push(() => gateway.close());

  return {
    url: `http://127.0.0.1:${port}`,
    inboxUrl,
    eventBusUrl: `http://127.0.0.1:${busPort}`,
    adminToken,
    deadLetters: () => deadLetters.list(),
    failedDeliveries: () => failedDeliveries.list(),
    queueDeadLetters: () => queueDeadLetters.list(),
    queuesUrl: queues.endpoint,
    secretsManagerUrl,
    settled: async () => {
      for (let quiet = 0; quiet < 5; ) {
        await new Promise((r) => setTimeout(r, 50));
        await bus.drain();
        quiet = poller.idle && queuePoller.idle ? quiet + 1 : 0;
      }
    },
    stop: stopAll,
  };
}

/**
 * Imports a handler module on first use, after the environment it reads at import time is set; each invocation
 * runs as its function, whose manifest entry bounds what it may do with the table (item-access.ts).
 */
async function loadFunctionLater(spec: (typeof manifest)[number]) {
  let loaded: ReturnType<typeof loadFunction> | undefined;
  return (event: unknown) =>
    asFunction(spec, () => {
      loaded ??= loadFunction(spec);
      return loaded.then((invoke) => invoke(event));
    });
}
