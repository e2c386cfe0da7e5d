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

/** The one overload of a command's middleware stack `retriedOnlyWhenRefused` uses. */
interface AttemptStack {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
    options: { step: 'finalizeRequest'; priority: 'low'; name: string; override: true },
  ): void;
}

/** Names DynamoDB gives a request it refused for the rate: nothing of it was written. */
const refusedForRate = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/**
 * The command, for a write that must not be repeated blindly: the SDK's own retries go on after an attempt
 * DynamoDB refused for the rate, and stop after any other failure (a timeout, a dropped connection, a server
 * error), after which the write may have been done. The caller gets that error and decides.
 */
export function retriedOnlyWhenRefused<C extends { middlewareStack: unknown }>(command: C): C {
  let doubtful: unknown;
  (command.middlewareStack as AttemptStack).add(
    (next) => async (args) => {
      if (doubtful !== undefined) throw Object.assign(new Error('A write that may have been done is not repeated', { cause: doubtful }), { name: 'WriteNotRepeated' });
      try {
        return await next(args);
      } catch (error) {
        if (!(error instanceof Error && refusedForRate.has(error.name))) doubtful = error;
        throw error;
      }
    },
    // Inside the retry middleware (finalizeRequest, high): it runs once per attempt. A document client's command
    // shares its stack with the command it wraps, which adds it again: the same entry, overridden.
    { step: 'finalizeRequest', priority: 'low', name: 'retriedOnlyWhenRefused', override: true },
  );
  return command;
}
