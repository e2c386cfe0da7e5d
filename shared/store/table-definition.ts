import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table's shape. The CDK stack and the local runtime both build the table from this,
 * so the keys, indexes, stream and TTL can never differ between AWS and a laptop.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** `projection`: the non-key attributes an index carries (INCLUDE); without it, every attribute (ALL). */
  indexes: [
    // Listings: campaigns by status, newest first; confirmed public signatures by campaign.
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    // All campaigns for operators, newest first; confirmed signatures for export; deliveries per outreach;
    // every outreach, and erasures under way and done (erasure-store.ts).
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    // Everything held about one person (by the HMAC of their address), so erasure finds it all.
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    // Sparse: signatures confirmed and not counted yet, by campaign (layout.ts `uncountedSignature`). An entry
    // lives from the confirming write to the counting one, so reconciliation reads a handful of items, not the
    // table. It carries only what counting needs (counting.ts `confirmationOf`), so an entry costs 1 WCU.
    {
      name: 'gsi4',
      partitionKey: 'gsi4pk',
      sortKey: 'gsi4sk',
      projection: ['type', 'status', 'campaign', 'country', 'confirmedAt', 'id', 'public'],
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  streamView: 'NEW_AND_OLD_IMAGES',
} as const;

/**
 * The limits table: short-lived counters of the abuse guard, the per-mailbox mail caps and the account-wide
 * sending pace. Kept apart from the main table because it is written on every submission and every send, and has
 * no stream: nothing downstream cares about a counter moving, so no stream reader pays to filter it out.
 * Every item expires (TTL), so the table never grows.
 */
export const limitsTableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
} as const;

export function createLimitsTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [limitsTableDefinition.partitionKey, limitsTableDefinition.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: limitsTableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: limitsTableDefinition.sortKey, KeyType: 'RANGE' },
    ],
  };
}

export function createTableInput(tableName: string): CreateTableCommandInput {
  const keys = [
    tableDefinition.partitionKey,
    tableDefinition.sortKey,
    ...tableDefinition.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: tableDefinition.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: 'projection' in index ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] } : { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamView },
  };
}
