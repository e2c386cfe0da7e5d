import type { DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { routesOf } from '#shared/streams/change-routes.ts';

let sequence = 0;

/** An SQS event as Lambda's mapping delivers it: one record per body, each with a message id of its own. */
export function sqsEvent(bodies: readonly unknown[], receiveCount = 1): SQSEvent {
  return {
    Records: bodies.map(
      (body): SQSRecord => ({
        messageId: `message-${++sequence}`,
        receiptHandle: `receipt-${sequence}`,
        body: JSON.stringify(body),
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: String(Date.now()),
          SenderId: 'test',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test',
        awsRegion: 'us-east-1',
      }),
    ),
  };
}

/** What the router (functions/streams/route-changes.ts) puts on the confirmation-mail queue for these records. */
export function linkMessagesOf(event: DynamoDBStreamEvent): SQSEvent {
  return sqsEvent(event.Records.flatMap((record) => routesOf(record).link ?? []));
}

/** What the router puts on the bulk-mail queue for these records. */
export function deliveryMessagesOf(event: DynamoDBStreamEvent): SQSEvent {
  return sqsEvent(event.Records.flatMap((record) => routesOf(record).delivery ?? []));
}
