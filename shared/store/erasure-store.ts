import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import { logger } from '#shared/observability.ts';
import { recordAwaitingConfirmation } from './awaiting-confirmation.ts';
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
  // A completed request kept no address: a new one brings it back.
  await recordAwaitingConfirmation(erasureKey(personKey), { type: 'erasure', email }, 'unconfirmed', { refresh: { email }, reopenFrom: 'done' });
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
