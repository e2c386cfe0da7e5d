import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableName } from '#shared/store/table.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';

const dynamo = new DynamoDBClient({});

export const handler = httpHandler(routes.health, async () => {
  const table = await dynamo.send(new DescribeTableCommand({ TableName: tableName() }));
  if (table.Table?.TableStatus !== 'ACTIVE') {
    return json(503, { status: 'starting' });
  }
  return json(200, { status: 'ok' });
});
