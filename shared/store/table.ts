import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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

/** Item keys in one place: the single-table layout is readable here and nowhere else. */
export const keys = {
  campaign: (slug: string) => ({ pk: `CAMPAIGN#${slug}`, sk: 'CAMPAIGN' }),
  counter: (slug: string) => ({ pk: `CAMPAIGN#${slug}`, sk: 'COUNTER' }),
  offsetChange: (slug: string, at: string, id: string) => ({ pk: `CAMPAIGN#${slug}`, sk: `OFFSET#${at}#${id}` }),
  // One partition per signature: a viral campaign spreads its writes instead of heating one key.
  signature: (slug: string, emailKey: string) => ({ pk: `SIGNATURE#${slug}#${emailKey}`, sk: 'SIGNATURE' }),
  endorsement: (id: string) => ({ pk: `ENDORSEMENT#${id}`, sk: 'ENDORSEMENT' }),
  subscriber: (subscriberKey: string) => ({ pk: `SUBSCRIBER#${subscriberKey}`, sk: 'SUBSCRIBER' }),
  suppression: (subscriberKey: string) => ({ pk: `SUPPRESSION#${subscriberKey}`, sk: 'SUPPRESSION' }),
  outreach: (id: string) => ({ pk: `OUTREACH#${id}`, sk: 'OUTREACH' }),
  delivery: (outreachId: string, subscriberKey: string) => ({ pk: `DELIVERY#${outreachId}#${subscriberKey}`, sk: 'DELIVERY' }),
  token: (tokenHash: string) => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),
};

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
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
