import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

export type Image = Record<string, unknown>;

/** The record's new and old item images as plain objects (aws-lambda's types differ from the SDK's). */
export function images(record: DynamoDBRecord): { newImage: Image | undefined; oldImage: Image | undefined } {
  const convert = (image: unknown) => (image ? unmarshall(image as Record<string, AttributeValue>) : undefined);
  return { newImage: convert(record.dynamodb?.NewImage), oldImage: convert(record.dynamodb?.OldImage) };
}
