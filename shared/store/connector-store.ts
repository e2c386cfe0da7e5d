import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ActionNetworkConnector } from '#shared/connectors/action-network.ts';
import { connectorDeliveryPrefix, connectorPrefix, keys } from './layout.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query-pages.ts';
import { db, isConditionFailure, itemOfConditionFailure, tableName } from './table.ts';

/**
 * Connectors (a partner's Action Network petition) and their delivery log. The invariants:
 *
 * - A connector item holds the petition, the tags and the *name* of the secret holding the partner's key,
 *   never the key (connector-keys.ts).
 * - A signature is delivered to a connector at most once: its delivery is one item per (connector, signature),
 *   claimed by a conditional write before anything is sent. A delivered or permanently failed one is never
 *   claimed again; a `sending` one only once its lease has run out (its sender died), a `retrying` one by the
 *   next delivery of its event.
 * - The log holds ids, counts, HTTP statuses and error texts cleaned of addresses: no name, no address. It
 *   expires with the table's TTL after `deliveryDays`.
 */

export const deliveryDays = 90;

export const deliveryStatuses = ['sending', 'retrying', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface StoredConnector extends ActionNetworkConnector {
  secretName: string;
}

export interface ConnectorDelivery {
  signatureId: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

const text = (value: unknown, fallback = '') => (typeof value === 'string' ? value : fallback);

function decodeConnector(item: Record<string, unknown>): StoredConnector {
  return {
    type: 'action-network',
    partner: text(item.partner),
    petitionId: text(item.petitionId),
    tags: Array.isArray(item.tags) ? item.tags.filter((t): t is string => typeof t === 'string') : [],
    createdAt: text(item.createdAt),
    updatedAt: text(item.updatedAt),
    updatedBy: text(item.updatedBy),
    secretName: text(item.secretName),
  };
}

/** The connector as an operator may see it: everything but where its key is kept. */
export function publicConnector(connector: StoredConnector): ActionNetworkConnector {
  const { secretName: _secretName, ...shown } = connector;
  return shown;
}

export async function putConnector(
  slug: string,
  connector: { partner: string; petitionId: string; tags: string[]; secretName: string },
  by: string,
  now: Date,
): Promise<StoredConnector> {
  const { Attributes } = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.connector(slug, connector.partner),
      UpdateExpression:
        'SET #type = :type, connectorType = :kind, campaign = :slug, partner = :partner, petitionId = :petition, tags = :tags, secretName = :secret, ' +
        'createdAt = if_not_exists(createdAt, :now), updatedAt = :now, updatedBy = :by',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':type': 'connector',
        ':kind': 'action-network',
        ':slug': slug,
        ':partner': connector.partner,
        ':petition': connector.petitionId,
        ':tags': connector.tags,
        ':secret': connector.secretName,
        ':now': now.toISOString(),
        ':by': by,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return decodeConnector(Attributes ?? {});
}

export async function getConnector(slug: string, partner: string): Promise<StoredConnector | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.connector(slug, partner), ConsistentRead: true }));
  return Item ? decodeConnector(Item) : undefined;
}

/** A campaign's connectors (at most one per partner, and a campaign has at most ten partners: one page). */
export async function listConnectors(slug: string): Promise<StoredConnector[]> {
  const { Items } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.campaign(slug).pk, ':prefix': connectorPrefix },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map(decodeConnector).sort((a, b) => a.partner.localeCompare(b.partner));
}

/** Removes the connector; its deliveries expire with the TTL. Answers the removed one, if there was one. */
export async function deleteConnector(slug: string, partner: string): Promise<StoredConnector | undefined> {
  const { Attributes } = await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.connector(slug, partner), ReturnValues: 'ALL_OLD' }));
  return Attributes ? decodeConnector(Attributes) : undefined;
}

const expiry = (now: Date) => Math.floor(now.getTime() / 1000) + deliveryDays * 86_400;

/**
 * Claims a signature's delivery for one sender: `claimed` when this caller may send it, `done` when it was
 * delivered or failed for good, `busy` when another sender holds it and its lease still runs (the caller should
 * come back later: that sender may die).
 */
export async function claimDelivery(ids: { slug: string; partner: string; signatureId: string }, now: Date, leaseMs: number): Promise<'claimed' | 'done' | 'busy'> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.connectorDelivery(ids.slug, ids.partner, ids.signatureId),
        UpdateExpression:
          'SET #type = :type, signatureId = :id, #status = :sending, leaseUntil = :lease, attempts = if_not_exists(attempts, :zero), ' +
          'createdAt = if_not_exists(createdAt, :now), updatedAt = :now, expiresAt = :ttl',
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :retrying OR (#status = :sending AND leaseUntil < :nowMs)',
        ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
        ExpressionAttributeValues: {
          ':type': 'connector-delivery',
          ':id': ids.signatureId,
          ':sending': 'sending',
          ':retrying': 'retrying',
          ':lease': now.getTime() + leaseMs,
          ':nowMs': now.getTime(),
          ':zero': 0,
          ':now': now.toISOString(),
          ':ttl': expiry(now),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'claimed';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const status = itemOfConditionFailure(error)?.status;
    return status === 'sending' ? 'busy' : 'done';
  }
}

/** Records how a claimed delivery ended this time: its tries added to its attempts, the last answer kept. */
export async function finishDelivery(
  ids: { slug: string; partner: string; signatureId: string },
  result: { status: Exclude<DeliveryStatus, 'sending'>; tries: number; lastStatus?: number | undefined; lastError?: string | undefined },
  now: Date,
): Promise<void> {
  const delivered = result.status === 'delivered';
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.connectorDelivery(ids.slug, ids.partner, ids.signatureId),
      UpdateExpression: `SET #status = :status, lastStatus = :code, lastError = :error, updatedAt = :now${delivered ? ', deliveredAt = :now' : ''} REMOVE leaseUntil ADD attempts :tries`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': result.status,
        ':code': result.lastStatus ?? null,
        ':error': delivered ? null : (result.lastError ?? null),
        ':now': now.toISOString(),
        ':tries': result.tries,
      },
    }),
  );
}

function decodeDelivery(item: Record<string, unknown>): ConnectorDelivery {
  const status = deliveryStatuses.find((s) => s === item.status) ?? 'retrying';
  return {
    signatureId: text(item.signatureId),
    status,
    attempts: typeof item.attempts === 'number' ? item.attempts : 0,
    lastStatus: typeof item.lastStatus === 'number' ? item.lastStatus : null,
    lastError: typeof item.lastError === 'string' ? item.lastError : null,
    createdAt: text(item.createdAt),
    updatedAt: text(item.updatedAt),
    deliveredAt: typeof item.deliveredAt === 'string' ? item.deliveredAt : null,
  };
}

export async function getDelivery(ids: { slug: string; partner: string; signatureId: string }): Promise<ConnectorDelivery | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.connectorDelivery(ids.slug, ids.partner, ids.signatureId), ConsistentRead: true }),
  );
  return Item ? decodeDelivery(Item) : undefined;
}

/** A connector's deliveries, newest signature first. */
export function listConnectorDeliveries(slug: string, partner: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<ConnectorDelivery>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.connectorDelivery(slug, partner, '').pk, ':prefix': connectorDeliveryPrefix },
      ScanIndexForward: false,
    },
    { scope: `connector-deliveries:${slug}:${partner}`, limit: page.limit, cursor: page.cursor, keyAttributes: ['pk', 'sk'], map: decodeDelivery },
  );
}
