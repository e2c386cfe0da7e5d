import path from 'node:path';
import { watchAncestors } from './ancestors.ts';
import { faultsFromEnv, queueFaultsFromEnv } from './faults.ts';
import { startLocalStack } from './runtime.ts';

/** `npm start`: the whole system on this machine, configured by the environment (see docs/configuration.md). */
const env = process.env;
const port = Number(env.PORT ?? 3000);
const started = Date.now();

const stack = await startLocalStack({
  port,
  ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
  ...(env.ADMIN_TOKEN ? { adminToken: env.ADMIN_TOKEN } : {}),
  dataDir: path.resolve(env.DATA_DIR ?? '.data'),
  sesPort: Number(env.SES_PORT ?? 8005),
  ...(env.AWS_ENDPOINT_URL_DYNAMODB ? { dynamoEndpoint: env.AWS_ENDPOINT_URL_DYNAMODB } : {}),
  ...(env.AWS_ENDPOINT_URL_SES ? { sesEndpoint: env.AWS_ENDPOINT_URL_SES } : {}),
  ...(env.TABLE_NAME ? { tableName: env.TABLE_NAME } : {}),
  ...(env.MAIL_FROM ? { mailFrom: env.MAIL_FROM } : {}),
  ...(env.OPERATOR_JWT_ISSUER
    ? { operatorJwt: { issuer: env.OPERATOR_JWT_ISSUER, audience: (env.OPERATOR_JWT_AUDIENCE ?? '').split(',').filter(Boolean) } }
    : {}),
  demoData: (env.DEMO_DATA ?? '1') !== '0',
  faults: faultsFromEnv(env),
  queueFaults: queueFaultsFromEnv(env),
});

console.log(`Tadamon is up in ${((Date.now() - started) / 1000).toFixed(1)} s
  API          ${stack.url}   (health: ${stack.url}/health)
  Inbox        ${stack.inboxUrl ?? `(sending through ${env.AWS_ENDPOINT_URL_SES})`}
  Event bus    ${stack.eventBusUrl}   (EventBridge PutEvents, e.g. to inject SES bounce events)
  Queues       ${stack.queuesUrl}   (SQS: aws --endpoint-url <this> sqs …; failed mail waits in queue-dead-letters)
  Admin token  ${env.OPERATOR_JWT_ISSUER ? `(none: operators sign in at ${env.OPERATOR_JWT_ISSUER})` : stack.adminToken}
Press Ctrl-C to stop.`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping…`);
  await stack.stop();
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));
watchAncestors(() => void shutdown('the process that started us exited'));
