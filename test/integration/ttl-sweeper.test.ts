import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '#infra/local/dynamodb-local.ts';
import { TtlSweeper } from '#infra/local/ttl-sweeper.ts';
import { db } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

let tableName: string;
let endpoint: string;

describe('expiring unconfirmed data on one machine', () => {
  beforeAll(async () => {
    ({ tableName, endpoint } = await useTestTable('ttl'));
  });

  it('deletes items whose TTL has passed and keeps the rest', async () => {
    const now = Math.floor(Date.now() / 1000);
    const items = [
      { pk: 'SIGNATURE#x#expired', sk: 'SIGNATURE', expiresAt: now - 10 },
      { pk: 'SIGNATURE#x#fresh', sk: 'SIGNATURE', expiresAt: now + 3600 },
      { pk: 'SIGNATURE#x#confirmed', sk: 'SIGNATURE' },
    ];
    for (const item of items) await db().send(new PutCommand({ TableName: tableName, Item: item }));
    expect(await new TtlSweeper(localClient(endpoint), tableName).sweep(now)).toBe(1);
    const exists = async (pk: string) => Boolean((await db().send(new GetCommand({ TableName: tableName, Key: { pk, sk: 'SIGNATURE' } }))).Item);
    expect(await exists('SIGNATURE#x#expired')).toBe(false);
    expect(await exists('SIGNATURE#x#fresh')).toBe(true);
    expect(await exists('SIGNATURE#x#confirmed')).toBe(true);
  });
});
