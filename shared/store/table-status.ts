import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableName } from './table.ts';

let client: DynamoDBClient | undefined;

/** Whether the table takes reads and writes (ACTIVE); the health check answers "starting" until it does. */
export async function tableIsActive(): Promise<boolean> {
  client ??= new DynamoDBClient({});
  const table = await client.send(new DescribeTableCommand({ TableName: tableName() }));
  return table.Table?.TableStatus === 'ACTIVE';
}
