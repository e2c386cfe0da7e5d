import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now, nowIso } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { logger } from '#shared/observability.ts';
import { allPages } from './query-pages.ts';
import type { ConfirmOutcome } from './signature-store.ts';
import { emailKey } from './signature-store.ts';
import { db, isConditionFailure, tableName } from './table.ts';

const erasureKey = (personKey: string) => ({ pk: `ERASURE#${personKey}`, sk: 'ERASURE' });

/**
 * Asks for erasure: a request that waits for the person to confirm by email (so nobody can erase another).
 * A repeat while it waits mails another link, up to MAX_CONFIRMATION_MAILS. A request after a completed
 * erasure is a new one (the person may have signed again since): it waits again, with links of its own.
 */
export async function requestErasure(email: string): Promise<void> {
  const personKey = emailKey(email);
  const ttl = Math.floor(now().getTime() / 1000) + config().CONFIRMATION_TTL_DAYS * 86_400;
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...erasureKey(personKey), type: 'erasure', email, status: 'unconfirmed', linkRequests: 1, createdAt: nowIso(), expiresAt: ttl },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const common = { TableName: tableName(), Key: erasureKey(personKey), ExpressionAttributeNames: { '#status': 'status' } };
  try {
    await db().send(
      new UpdateCommand({
        ...common,
        UpdateExpression: 'SET email = :email, expiresAt = :ttl ADD linkRequests :one',
        // linkLimit is set when a completed request is reopened: its links go on numbering from the earlier ones.
        ConditionExpression: '#status = :unconfirmed AND (linkRequests < :max OR linkRequests < linkLimit)',
        ExpressionAttributeValues: { ':email': email, ':unconfirmed': 'unconfirmed', ':ttl': ttl, ':one': 1, ':max': config().MAX_CONFIRMATION_MAILS },
      }),
    );
    return;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  try {
    await db().send(
      new UpdateCommand({
        ...common,
        // Link numbers keep counting (each derives its token, and the earlier tokens were mailed); the bound
        // on mails starts again from here.
        UpdateExpression: 'SET email = :email, #status = :unconfirmed, expiresAt = :ttl, linkLimit = linkRequests + :max ADD linkRequests :one',
        ConditionExpression: '#status = :done',
        ExpressionAttributeValues: { ':email': email, ':unconfirmed': 'unconfirmed', ':done': 'done', ':ttl': ttl, ':one': 1, ':max': config().MAX_CONFIRMATION_MAILS },
      }),
    );
  } catch (error) {
    // Waiting with every link already mailed: nothing more to send.
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * Erases every personal field of the person behind the request, found through the person index:
 * signatures keep only what the counts need (campaign, country, status, dates) and leave the public list;
 * unconfirmed signatures and subscriptions go entirely; endorsements lose their contact. Counts stay.
 * Repeating it finds nothing more to erase.
 */
export async function confirmErasure(key: { pk: string; sk: string }): Promise<ConfirmOutcome> {
  const personKey = key.pk.replace(/^ERASURE#/, '');
  let erased = 0;
  const pages = allPages({
    TableName: tableName(),
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :person',
    ExpressionAttributeValues: { ':person': `PERSON#${personKey}` },
    ProjectionExpression: 'pk, sk, #type, #status',
    ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
  });
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      await eraseItem({ pk: String(item.pk), sk: String(item.sk) }, String(item.type), String(item.status));
      erased++;
    }
  }
  // The request itself keeps no address once it is done.
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET #status = :done, erasedAt = :at REMOVE email, expiresAt',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':done': 'done', ':at': nowIso() },
    }),
  ).catch((e: unknown) => {
    if (!isConditionFailure(e)) throw e;
  });
  logger.info('personal data erased', { items: erased });
  return 'confirmed';
}

export async function eraseItem(key: { pk: string; sk: string }, type: string, status: string): Promise<void> {
  if (type === 'subscriber' || (type === 'signature' && status === 'pending')) {
    await db().send(new DeleteCommand({ TableName: tableName(), Key: key }));
    return;
  }
  if (type === 'signature') {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        // The country stays: it is in the counts already and says nothing about who signed.
        UpdateExpression: 'SET #status = :erased, erasedAt = :at REMOVE #name, email, #comment, postcode, locale, gsi1pk, gsi1sk, gsi3pk, gsi3sk',
        ExpressionAttributeNames: { '#status': 'status', '#name': 'name', '#comment': 'comment' },
        ExpressionAttributeValues: { ':erased': 'erased', ':at': nowIso() },
      }),
    );
    return;
  }
  if (type === 'endorsement') {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'REMOVE email, gsi3pk, gsi3sk',
      }),
    );
  }
}
