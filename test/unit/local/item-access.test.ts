import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { asFunction, guardItemAccess, refusal, requestsOf } from '#infra/local/item-access.ts';
import { manifest, type FunctionSpec } from '#infra/manifest.ts';
import { config } from '#shared/config.ts';

const spec = (name: string): FunctionSpec => {
  const found = manifest.find((s) => s.name === name);
  if (!found) throw new Error(`no ${name} in the manifest`);
  return found;
};

describe('what a function may ask of the table, as its IAM grant on AWS allows', () => {
  it('reads a table query, a transaction and a batch as IAM sees them: one action and partition key per item', () => {
    expect(requestsOf('QueryCommand', { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': 'CAMPAIGN#x', ':p': 'OFFSET#' } })).toEqual([
      { action: 'dynamodb:Query', partitionKeys: ['CAMPAIGN#x'] },
    ]);
    expect(requestsOf('QueryCommand', { KeyConditionExpression: '#k = :v', ExpressionAttributeNames: { '#k': 'pk' }, ExpressionAttributeValues: { ':v': { S: 'BLOCKLIST' } } })).toEqual([
      { action: 'dynamodb:Query', partitionKeys: ['BLOCKLIST'] },
    ]);
    expect(requestsOf('QueryCommand', { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': 'CAMPAIGNS#open' } })).toEqual([
      { action: 'dynamodb:Query', partitionKeys: [], index: 'gsi1' },
    ]);
    expect(
      requestsOf('TransactWriteItemsCommand', {
        TransactItems: [{ Put: { Item: { pk: 'CAMPAIGN#a', sk: 'CAMPAIGN' } } }, { Update: { Key: { pk: 'SIGNATURE#a#k', sk: 'SIGNATURE' } } }],
      }),
    ).toEqual([
      { action: 'dynamodb:PutItem', partitionKeys: ['CAMPAIGN#a'] },
      { action: 'dynamodb:UpdateItem', partitionKeys: ['SIGNATURE#a#k'] },
    ]);
    expect(requestsOf('BatchGetItemCommand', { RequestItems: { t: { Keys: [{ pk: 'BLOCKLIST', sk: 'ip#1' }, { pk: 'RATE#x', sk: 'RATE' }] } } })).toEqual([
      { action: 'dynamodb:BatchGetItem', partitionKeys: ['BLOCKLIST', 'RATE#x'] },
    ]);
    expect(requestsOf('UpdateItemCommand', { Key: { pk: { S: 'NOTICE#1' }, sk: { S: 'NOTICE' } } })).toEqual([{ action: 'dynamodb:UpdateItem', partitionKeys: ['NOTICE#1'] }]);
  });

  it('allows the items, indexes and access the manifest entry names, and nothing else', () => {
    const getCampaign = spec('GetCampaign');
    expect(refusal(getCampaign, { action: 'dynamodb:GetItem', partitionKeys: ['CAMPAIGN#free-nasser-zefzafi'] })).toBeUndefined();
    expect(refusal(getCampaign, { action: 'dynamodb:GetItem', partitionKeys: ['SIGNATURE#free-nasser-zefzafi#k'] })).toMatch(/outside its "items"/);
    expect(refusal(getCampaign, { action: 'dynamodb:PutItem', partitionKeys: ['CAMPAIGN#x'] })).toMatch(/only read/);
    expect(refusal(getCampaign, { action: 'dynamodb:Scan', partitionKeys: [] })).toMatch(/scan/);
    expect(refusal(getCampaign, { action: 'dynamodb:Query', partitionKeys: [], index: 'gsi2' })).toMatch(/index gsi2/);
    expect(refusal(spec('ListSignatures'), { action: 'dynamodb:Query', partitionKeys: [], index: 'gsi1' })).toBeUndefined();
    // No items at all, or the table's status only.
    expect(refusal(spec('GetOpenApi'), { action: 'dynamodb:GetItem', partitionKeys: ['CAMPAIGN#x'] })).toMatch(/no access/);
    expect(refusal(spec('Health'), { action: 'dynamodb:DescribeTable', partitionKeys: [] })).toBeUndefined();
    expect(refusal(spec('Health'), { action: 'dynamodb:GetItem', partitionKeys: ['CAMPAIGN#x'] })).toMatch(/no access/);
    // Without `items`, any item its read/write access allows.
    expect(refusal(spec('CreateSignature'), { action: 'dynamodb:Scan', partitionKeys: [] })).toBeUndefined();
  });

  describe('on the shared client of the local runtime', () => {
    // Nothing listens there: an allowed request fails to connect, a refused one never leaves.
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }),
    );
    guardItemAccess(client);
    afterAll(() => client.destroy());

    const outcome = (name: string, send: () => Promise<unknown>) =>
      asFunction(spec(name), send).then(
        () => 'sent',
        (error: Error) => (error.name === 'AccessDeniedException' ? `denied: ${error.message}` : 'sent'),
      );

    it('refuses, as the function, what its manifest entry does not allow', async () => {
      expect(await outcome('GetCampaign', () => client.send(new GetCommand({ TableName: 't', Key: { pk: 'SIGNATURE#x#k', sk: 'SIGNATURE' } })))).toMatch(/^denied: GetCampaign .*dynamodb:GetItem.*SIGNATURE#x#k/);
      expect(await outcome('ListCampaigns', () => client.send(new ScanCommand({ TableName: 't' })))).toMatch(/^denied/);
      expect(await outcome('GetFeed', () => client.send(new QueryCommand({ TableName: 't', IndexName: 'gsi3', KeyConditionExpression: 'gsi3pk = :p', ExpressionAttributeValues: { ':p': 'PERSON#x' } })))).toMatch(/^denied/);
      expect(await outcome('RouteChanges', () => client.send(new PutCommand({ TableName: 't', Item: { pk: 'SUBSCRIBER#k', sk: 'SUBSCRIBER' } })))).toMatch(/^denied/);
      expect(
        await outcome('AdminCreateCampaign', () => client.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 't', Item: { pk: 'CAMPAIGN#a', sk: 'CAMPAIGN' } } }, { Put: { TableName: 't', Item: { pk: 'TOKEN#h', sk: 'TOKEN' } } }] }))),
      ).toMatch(/^denied: .*TOKEN#h/);
    });

    it('lets only the functions that count in the limits table reach it, and never together with the main table', async () => {
      const limits = config().LIMITS_TABLE_NAME;
      const window = { pk: 'RATE#ip#x', sk: 'WINDOW#1' };
      expect(await outcome('CreateSignature', () => client.send(new GetCommand({ TableName: limits, Key: window })))).toBe('sent');
      expect(await outcome('GetCampaign', () => client.send(new GetCommand({ TableName: limits, Key: window })))).toMatch(/^denied: GetCampaign .*limits table: it has no "limits"/);
      expect(
        await outcome('CreateSignature', () => client.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: limits, Item: window } }, { Put: { TableName: 't', Item: { pk: 'CAMPAIGN#a', sk: 'X' } } }] }))),
      ).toMatch(/^denied: .*and the main table in one request/);
    });

    it('lets through what it allows, and whatever runs outside an invocation', async () => {
      expect(await outcome('GetCampaign', () => client.send(new GetCommand({ TableName: 't', Key: { pk: 'CAMPAIGN#x', sk: 'COUNTER' } })))).toBe('sent');
      expect(await outcome('AdminListBlocks', () => client.send(new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'BLOCKLIST' } })))).toBe('sent');
      expect(await outcome('CreateSignature', () => client.send(new BatchGetCommand({ RequestItems: { t: { Keys: [{ pk: 'BLOCKLIST', sk: 'ip#1' }] } } })))).toBe('sent');
      const outside = await client.send(new GetCommand({ TableName: 't', Key: { pk: 'TOKEN#h', sk: 'TOKEN' } })).then(
        () => 'sent',
        (error: Error) => error.name,
      );
      expect(outside).not.toBe('AccessDeniedException');
    });
  });
});
