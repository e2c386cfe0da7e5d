import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '#shared/config.ts';

let client: DynamoDBDocumentClient | undefined;

/** One client per container; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set (locally). */
export function db(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return client;
}

export function tableName(): string {
  return config().TABLE_NAME;
}

/** The limits table's name (table-definition.ts `limitsTableDefinition`); the same client reaches it. */
export function limitsTableName(): string {
  return config().LIMITS_TABLE_NAME;
}

/** The layout (keys, index entries, partitions) is layout.ts's; stores import it from there or from here. */
export { keys } from './layout.ts';

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * The item as it stood when a write's condition failed (asked for with `ReturnValuesOnConditionCheckFailure:
 * 'ALL_OLD'`), decoded: the document client leaves an error's item in DynamoDB's own types. Undefined when there
 * was no item.
 */
export function itemOfConditionFailure(error: unknown): Record<string, unknown> | undefined {
  const item = (error as { Item?: Record<string, AttributeValue> }).Item;
  return item ? unmarshall(item) : undefined;
}

export interface CancellationReason {
  Code?: string;
}

/**
 * Why a cancelled transaction was cancelled, one reason per action in the order they were sent (`Code`
 * 'None' for those that were fine); undefined when the error is not a transaction cancellation at all.
 */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  return (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
}
