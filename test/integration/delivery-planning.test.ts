import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { claimDelivery, createDelivery, createDeliveries, createOutreach, finishPlanning, startSending } from '#shared/store/outreach-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

const keysOf = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `key-${String(from + i).padStart(4, '0')}`);

async function statusOf(outreachId: string, emailKey: string): Promise<unknown> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.delivery(outreachId, emailKey), ConsistentRead: true }));
  return Item?.status;
}

describe('creating the deliveries of an outreach, a hundred at a time', () => {
  beforeEach(async () => {
    await useTestTable('delivery-planning');
  });

  it('creates each recipient once, across transactions, and counts them', async () => {
    const outreachId = 'urgent-batch-1';
    await createOutreach({ id: outreachId, kind: 'urgent-call', subject: 'S', message: 'M', requestedBy: 'test' });

    expect(await createDeliveries(outreachId, keysOf(0, 250))).toBe(250);
    expect(await finishPlanning(outreachId)).toBe(250);
    expect(await statusOf(outreachId, 'key-0000')).toBe('queued');
    expect(await statusOf(outreachId, 'key-0249')).toBe('queued');
    expect(await statusOf(outreachId, 'key-0250')).toBeUndefined();
  });

  it('on a re-run creates only the missing ones and leaves a delivery already under way as it is', async () => {
    const outreachId = 'urgent-batch-2';
    await createOutreach({ id: outreachId, kind: 'urgent-call', subject: 'S', message: 'M', requestedBy: 'test' });
    expect(await createDeliveries(outreachId, keysOf(0, 120))).toBe(120);
    expect(await claimDelivery(outreachId, 'key-0005')).toBe(true);
    expect(await startSending(outreachId, 'key-0005')).toBe(true);

    // The first transaction of the re-run meets existing deliveries and falls back; the rest are new.
    expect(await createDeliveries(outreachId, keysOf(0, 300))).toBe(180);
    expect(await statusOf(outreachId, 'key-0005')).toBe('sending');
    expect(await statusOf(outreachId, 'key-0299')).toBe('queued');
    expect(await createDeliveries(outreachId, keysOf(0, 300))).toBe(0);
    expect(await finishPlanning(outreachId)).toBe(300);
  });

  it('passes on a failure that is not an existing delivery, one at a time or in transactions', async () => {
    process.env.TABLE_NAME = 'delivery-planning-no-such-table';
    await expect(createDelivery('urgent-batch-4', 'key-0000')).rejects.toThrow(/resource not found|non-existent table/i);
    await expect(createDeliveries('urgent-batch-4', keysOf(0, 3))).rejects.toThrow(/resource not found|non-existent table/i);
  });

  it('creates nothing for no recipients', async () => {
    expect(await createDeliveries('urgent-batch-3', [])).toBe(0);
  });
});
