import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { ensureLimitsTable, ensureTable, localClient } from '#infra/local/dynamodb-local.ts';
import { resetConfig } from '#shared/config.ts';

/**
 * Points the stores at the run's DynamoDB Local and a fresh table of this file's own, so suites can run
 * in parallel without seeing each other's data.
 */
export async function useTestTable(prefix: string): Promise<{ tableName: string; endpoint: string }> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `${prefix}-${randomBytes(4).toString('hex')}`;
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    TABLE_NAME: tableName,
    LIMITS_TABLE_NAME: `${tableName}-limits`,
    TOKEN_SECRET: 'test-secret-for-integration-tests',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  resetConfig();
  await Promise.all([ensureTable(localClient(endpoint), tableName), ensureLimitsTable(localClient(endpoint), `${tableName}-limits`)]);
  return { tableName, endpoint };
}
