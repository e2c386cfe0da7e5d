import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { sharedEndpointVariable } from './dynamodb-setup.ts';

/**
 * `npm run mutate [-- stryker options]`: one DynamoDB Local for the whole mutation run, shared by all of
 * Stryker's workers (each test file makes a table of its own, so they never see each other's data), then Stryker.
 */
const strykerPackage = createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json');
const strykerBin = path.join(path.dirname(strykerPackage), 'bin', 'stryker.js');

const dynamo = await startDynamoDbLocal(undefined);
const stryker = spawn(process.execPath, [strykerBin, 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, [sharedEndpointVariable]: dynamo.endpoint },
});
const forward = (signal: NodeJS.Signals) => stryker.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise<number>((resolve) => stryker.once('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
await dynamo.stop();
process.exit(code);
