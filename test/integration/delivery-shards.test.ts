import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { deliveryShards, indexEntries, partitions } from '#shared/store/layout.ts';
import { createDeliveries, createOutreach, finishPlanning } from '#shared/store/outreach-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

const keysOf = (count: number) => Array.from({ length: count }, (_, i) => `key-${String(i).padStart(4, '0')}`);

async function entriesIn(partition: string): Promise<number> {
  const result = await db().send(
    new QueryCommand({ TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': partition }, Select: 'COUNT' }),
  );
  return result.Count ?? 0;
}

describe("an outreach's deliveries spread over index partitions", () => {
  beforeEach(async () => {
    await useTestTable('delivery-shards');
  });

  it('files each delivery on the shard of its key, uses every shard, and counts them all once', async () => {
    const outreachId = 'urgent-shards-1';
    await createOutreach({ id: outreachId, kind: 'urgent-call', subject: 'S', message: 'M', requestedBy: 'test' });
    expect(await createDeliveries(outreachId, keysOf(400))).toBe(400);

    const [unsharded, ...shards] = partitions.allDeliveries(outreachId);
    const perShard = await Promise.all(shards.map(entriesIn));
    expect(shards).toHaveLength(deliveryShards);
    expect(await entriesIn(unsharded!)).toBe(0);
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(400);
    // 400 keys over 16 shards: every shard has some, none holds more than a few times its share.
    expect(Math.min(...perShard)).toBeGreaterThan(0);
    expect(Math.max(...perShard)).toBeLessThan(100);
    expect(shards).toContain(indexEntries.delivery(outreachId, 'key-0007').gsi2pk);

    expect(await finishPlanning(outreachId)).toBe(400);
  });

  it('counts the deliveries an earlier version filed under one unsharded partition too', async () => {
    const outreachId = 'urgent-shards-2';
    await createOutreach({ id: outreachId, kind: 'urgent-call', subject: 'S', message: 'M', requestedBy: 'test' });
    // Planned in part before the shards: one delivery under the old index key.
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.delivery(outreachId, 'key-old'), type: 'delivery', outreachId, subscriberKey: 'key-old', status: 'sent', gsi2pk: `DELIVERIES#${outreachId}`, gsi2sk: 'key-old' },
      }),
    );
    expect(await createDeliveries(outreachId, keysOf(30))).toBe(30);
    expect(await finishPlanning(outreachId)).toBe(31);
  });
});
