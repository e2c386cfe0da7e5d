import type { TestProject } from 'vitest/node';
import startOwnDynamoDbLocal from '#test/support/dynamodb-global-setup.ts';

/**
 * Every Stryker worker holds a vitest instance of its own, and each would start a JVM of its own: the
 * mutation run starts one DynamoDB Local and hands its endpoint down in this variable instead. Without it
 * (vitest run with this config by hand) the usual global setup starts one.
 */
export const sharedEndpointVariable = 'TADAMON_MUTATE_DYNAMODB_ENDPOINT';

export default async function setup(project: TestProject) {
  const shared = process.env[sharedEndpointVariable];
  if (!shared) return startOwnDynamoDbLocal(project);
  project.provide('dynamoEndpoint', shared);
  return undefined;
}
