import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * A record as DynamoDB Streams' GetRecords returns it, in the shape Lambda delivers it to a stream consumer: the
 * local stream poller feeds consumers with it, and a replay of a failed batch on AWS reads the batch again with it.
 */
export function toLambdaRecord(record: StreamRecord, eventSourceARN?: string): DynamoDBRecord {
  const d = record.dynamodb;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'local',
    ...(eventSourceARN ? { eventSourceARN } : {}),
    dynamodb: {
      ...(d?.ApproximateCreationDateTime ? { ApproximateCreationDateTime: Math.floor(new Date(d.ApproximateCreationDateTime).getTime() / 1000) } : {}),
      Keys: d?.Keys as never,
      ...(d?.NewImage ? { NewImage: repairEmptyMaps(d.NewImage) as never } : {}),
      ...(d?.OldImage ? { OldImage: repairEmptyMaps(d.OldImage) as never } : {}),
      SequenceNumber: d?.SequenceNumber ?? '',
      SizeBytes: d?.SizeBytes ?? 0,
      StreamViewType: d?.StreamViewType as never,
    },
  };
}

/**
 * The Streams SDK client deserializes an empty map attribute `{"M":{}}` as `{}`; Lambda delivers the
 * former. An attribute value with no type key can only have been an empty map, so put the key back.
 */
export function repairEmptyMaps(image: Record<string, unknown>): Record<string, unknown> {
  const repair = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return { M: {} };
    const [type, inner] = entries[0]!;
    if (type === 'M') return { M: repairEmptyMaps(inner as Record<string, unknown>) };
    if (type === 'L') return { L: (inner as unknown[]).map(repair) };
    return value;
  };
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, repair(v)]));
}
