import { BatchWriteItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '#shared/store/table-definition.ts';

/**
 * DynamoDB deletes items past their TTL attribute on AWS; DynamoDB Local does not. This sweep does it on one
 * machine, so unconfirmed signatures and subscriptions expire locally as they do in production.
 */
export class TtlSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    // Gentle on purpose: a full scan of a large table is heavy for DynamoDB Local, and TTL is never exact.
    private readonly everyMs = 10 * 60_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes every item whose TTL has passed; returns how many. */
  async sweep(nowSeconds = Math.floor(Date.now() / 1000)): Promise<number> {
    const attribute = tableDefinition.timeToLiveAttribute;
    let deleted = 0;
    let start: Record<string, never> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#ttl < :now',
          ExpressionAttributeNames: { '#ttl': attribute },
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
          ProjectionExpression: 'pk, sk',
          Limit: 1000,
          ExclusiveStartKey: start,
        }),
      );
      const keys = page.Items ?? [];
      for (let i = 0; i < keys.length; i += 25) {
        const chunk = keys.slice(i, i + 25);
        await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: chunk.map((Key) => ({ DeleteRequest: { Key } })) } }));
        deleted += chunk.length;
      }
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
      // Leave room for the requests that matter between pages.
      if (start) await new Promise((resolve) => setTimeout(resolve, 50));
    } while (start);
    return deleted;
  }
}
