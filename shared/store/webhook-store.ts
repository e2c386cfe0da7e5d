import { DeleteCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { purposeKey } from '#shared/config.ts';
import { conflict, notFound } from '#shared/domain/errors.ts';
import { deliveryStatuses, maxWebhooks, webhookEvents, type DeliveryStatus, type Webhook, type WebhookDelivery, type WebhookEvent } from '#shared/domain/webhook.ts';
import { seal, unseal } from '#shared/ids.ts';
import { keys, webhookDeliveryPrefix, webhookPrefix, webhooksPartition } from './layout.ts';
import type { Page } from './pagination.ts';
import { allPages, queryPage } from './query-pages.ts';
import { cancellationReasons, db, isConditionFailure, tableName } from './table.ts';

/**
 * Webhooks and their deliveries. The invariants:
 *
 * - There are never more than `maxWebhooks`: a webhook is created in one transaction with the count item, under
 *   the condition that the count stays within the cap, and deleted in one with its decrement.
 * - A webhook's secret is stored only sealed (AES-256-GCM under a key of its own, bound to the webhook's id): a
 *   copy of the table, a backup or a log line of the item signs nothing. It is returned once, when made.
 * - A delivery is one item per webhook and source event, under an id derived from both: a redelivered event
 *   finds its delivery and never makes a second one. What it keeps of its event is the event's ids (`source`),
 *   never a signer's name or address: the body is built again from the table for a replay, so an erased
 *   person's data is not sent again, and nothing personal outlives the erasure here.
 */

const secretPurpose = 'webhook-secret';
/** Deliveries are kept 30 days (the table's TTL): long enough to see what failed and replay it. */
const deliveryDays = 30;

export interface StoredWebhook extends Webhook {
  /** Readable only with the link secret's webhook key. */
  sealedSecret: string;
}

/** The source event of a delivery, as ids: enough to build its body again. */
export interface DeliverySource {
  detailType: WebhookEvent;
  detail: Record<string, unknown>;
}

export interface StoredDelivery extends WebhookDelivery {
  source: DeliverySource;
}

export function sealSecret(webhookId: string, secret: string): string {
  return seal(purposeKey(secretPurpose), secret, `webhook:${webhookId}`);
}

export function openSecret(webhook: StoredWebhook): string {
  const secret = unseal(purposeKey(secretPurpose), webhook.sealedSecret, `webhook:${webhook.id}`);
  if (secret === undefined) throw new Error(`The secret of webhook ${webhook.id} cannot be opened with this deployment's key`);
  return secret;
}

export async function createWebhook(webhook: StoredWebhook): Promise<void> {
  const { id, url, events, partner, createdAt, createdBy, sealedSecret } = webhook;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.webhookCount(),
              UpdateExpression: 'SET webhooks = if_not_exists(webhooks, :zero) + :one',
              ConditionExpression: 'attribute_not_exists(webhooks) OR webhooks < :cap',
              ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':cap': maxWebhooks },
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.webhook(id), type: 'webhook', id, url, events, ...(partner ? { partner } : {}), createdAt, createdBy, sealedSecret },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') {
      throw conflict('too-many-webhooks', `An installation has at most ${maxWebhooks} webhooks; delete one first.`);
    }
    throw error;
  }
}

export async function listWebhooks(): Promise<StoredWebhook[]> {
  const items: Record<string, unknown>[] = [];
  const query = { TableName: tableName(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': webhooksPartition, ':prefix': webhookPrefix } };
  for await (const page of allPages(query)) items.push(...(page.Items ?? []));
  return items.map(decodeWebhook).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export async function getWebhook(id: string): Promise<StoredWebhook> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.webhook(id), ConsistentRead: true }));
  if (!Item) throw notFound(`There is no webhook ${id}.`);
  return decodeWebhook(Item);
}

/** Deletes the webhook and gives its place back; its deliveries expire with the table's TTL. False when it was not there. */
export async function deleteWebhook(id: string): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: tableName(), Key: keys.webhook(id), ConditionExpression: 'attribute_exists(pk)' } },
          { Update: { TableName: tableName(), Key: keys.webhookCount(), UpdateExpression: 'ADD webhooks :minus', ExpressionAttributeValues: { ':minus': -1 } } },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/**
 * Records a delivery about to be signed and sent. Answers false when it was sent before (a redelivered source
 * event): the caller sends nothing. A delivery left `signing` (its sender died before handing it on) is taken again.
 */
export async function beginDelivery(delivery: { webhookId: string; id: string; eventId: string; source: DeliverySource; at: Date }): Promise<boolean> {
  const { webhookId, id, eventId, source, at } = delivery;
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(webhookId, id),
        UpdateExpression:
          'SET #type = :type, webhookId = :webhook, deliveryId = :id, eventId = :event, eventType = :eventType, #source = :source, #status = :signing, ' +
          'attempts = if_not_exists(attempts, :zero), replays = if_not_exists(replays, :zero), createdAt = if_not_exists(createdAt, :at), updatedAt = :at, expiresAt = :ttl',
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :signing',
        ExpressionAttributeNames: { '#type': 'type', '#source': 'source', '#status': 'status' },
        ExpressionAttributeValues: {
          ':type': 'webhook-delivery',
          ':webhook': webhookId,
          ':id': id,
          ':event': eventId,
          ':eventType': source.detailType,
          ':source': source,
          ':signing': 'signing',
          ':zero': 0,
          ':at': at.toISOString(),
          ':ttl': expiry(at),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The delivery was handed to EventBridge: `sent`, unless the local bus already told more. */
export async function markSent(webhookId: string, id: string, at: Date): Promise<void> {
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(webhookId, id),
        UpdateExpression: 'SET #status = :sent, updatedAt = :at, expiresAt = :ttl',
        ConditionExpression: '#status = :signing',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':signing': 'signing', ':at': at.toISOString(), ':ttl': expiry(at) },
      }),
    )
    .catch((error: unknown) => {
      // Already further than `sent` (delivered, retrying): what the bus recorded stands.
      if (!isConditionFailure(error)) throw error;
    });
}

/** A replay begins: `signing` again, one replay more, the error of the last try cleared. */
export async function beginReplay(webhookId: string, id: string, at: Date): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(webhookId, id),
        UpdateExpression: 'SET #status = :signing, updatedAt = :at, expiresAt = :ttl ADD replays :one REMOVE lastError, statusCode',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':signing': 'signing', ':at': at.toISOString(), ':ttl': expiry(at), ':one': 1 },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw notFound(`Webhook ${webhookId} has no delivery ${id}.`);
    throw error;
  }
}

/** One attempt's outcome, as the local bus (or a dead letter on AWS) reports it. */
export interface AttemptOutcome {
  status: Extract<DeliveryStatus, 'delivered' | 'retrying' | 'dead-lettered'>;
  statusCode?: number | undefined;
  error?: string | undefined;
  /** Whether this report is an attempt (the local bus) or only the final word (a dead letter: attempts unknown). */
  attempt: boolean;
  at: Date;
}

export async function recordOutcome(webhookId: string, id: string, outcome: AttemptOutcome): Promise<void> {
  const set = ['#status = :status', 'updatedAt = :at'];
  const values: Record<string, unknown> = { ':status': outcome.status, ':at': outcome.at.toISOString() };
  if (outcome.statusCode !== undefined) {
    set.push('statusCode = :code');
    values[':code'] = outcome.statusCode;
  }
  if (outcome.error !== undefined) {
    set.push('lastError = :error');
    values[':error'] = outcome.error.slice(0, 500);
  }
  if (outcome.attempt) values[':one'] = 1;
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(webhookId, id),
        UpdateExpression: `SET ${set.join(', ')}${outcome.attempt ? ' ADD attempts :one' : ''}${outcome.error === undefined ? ' REMOVE lastError' : ''}`,
        // A delivery of a deleted webhook, or one expired: nothing to record on.
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    )
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
}

export async function getDelivery(webhookId: string, id: string): Promise<StoredDelivery> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.webhookDelivery(webhookId, id), ConsistentRead: true }));
  if (!Item) throw notFound(`Webhook ${webhookId} has no delivery ${id}.`);
  return decodeDelivery(Item);
}

/** Newest first (delivery ids sort by their event's time). */
export function listDeliveries(webhookId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<WebhookDelivery>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.webhookDelivery(webhookId, '').pk, ':prefix': webhookDeliveryPrefix },
      ScanIndexForward: false,
    },
    {
      scope: `webhook-deliveries:${webhookId}`,
      limit: page.limit,
      cursor: page.cursor,
      keyAttributes: ['pk', 'sk'],
      map: (item) => {
        const { source: _source, ...delivery } = decodeDelivery(item);
        return delivery;
      },
    },
  );
}

export async function deleteDelivery(webhookId: string, id: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.webhookDelivery(webhookId, id) }));
}

const expiry = (at: Date) => Math.floor(at.getTime() / 1000) + deliveryDays * 86_400;

function text(item: Record<string, unknown>, name: string, type: string): string {
  const value = item[name];
  if (typeof value !== 'string') throw new Error(`A stored ${type} item has no valid "${name}".`);
  return value;
}

function decodeWebhook(item: Record<string, unknown>): StoredWebhook {
  const events = Array.isArray(item.events) ? item.events.filter((e): e is WebhookEvent => webhookEvents.includes(e as WebhookEvent)) : [];
  return {
    id: text(item, 'id', 'webhook'),
    url: text(item, 'url', 'webhook'),
    events,
    ...(typeof item.partner === 'string' ? { partner: item.partner } : {}),
    createdAt: text(item, 'createdAt', 'webhook'),
    createdBy: text(item, 'createdBy', 'webhook'),
    sealedSecret: text(item, 'sealedSecret', 'webhook'),
  };
}

function decodeDelivery(item: Record<string, unknown>): StoredDelivery {
  const status = deliveryStatuses.find((s) => s === item.status);
  const type = webhookEvents.find((e) => e === item.eventType);
  if (!status || !type) throw new Error('A stored webhook-delivery item has no valid "status" or "eventType".');
  const source = item.source as DeliverySource | undefined;
  if (!source || typeof source !== 'object' || typeof source.detail !== 'object') throw new Error('A stored webhook-delivery item has no valid "source".');
  return {
    id: text(item, 'deliveryId', 'webhook-delivery'),
    webhookId: text(item, 'webhookId', 'webhook-delivery'),
    eventId: text(item, 'eventId', 'webhook-delivery'),
    type,
    status,
    attempts: typeof item.attempts === 'number' ? item.attempts : 0,
    ...(typeof item.statusCode === 'number' ? { statusCode: item.statusCode } : {}),
    ...(typeof item.lastError === 'string' ? { lastError: item.lastError } : {}),
    createdAt: text(item, 'createdAt', 'webhook-delivery'),
    updatedAt: text(item, 'updatedAt', 'webhook-delivery'),
    replays: typeof item.replays === 'number' ? item.replays : 0,
    source,
  };
}

