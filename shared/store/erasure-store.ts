import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, DeleteCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import { randomId } from '#shared/ids.ts';
import { logger } from '#shared/observability.ts';
import { confirmAwaiting, recordAwaitingConfirmation, type ClickScope, type ConfirmOutcome } from './awaiting-confirmation.ts';
import { confirmationOf, countConfirmations } from './counting.ts';
import { outreachIds } from './outreach-store.ts';
import { allPages } from './query-pages.ts';
import { mailboxAllowanceKeys } from './mailbox-cap-store.ts';
import { emailKey, personIndex, personKey, unerasedCountedSignatures } from './signature-store.ts';
import { cancellationReasons, db, isConditionFailure, keys, limitsTableName, tableName } from './table.ts';
import { endorsementStatus, erasureStatus, signatureStatus } from '#shared/domain/statuses.ts';
import { indexEntries, partitions, relistedSortKey } from './layout.ts';
import { erasureCodec } from './items.ts';

/**
 * What erasure guarantees, once a request is confirmed from the person's mailbox:
 *
 * - Nothing is left that the address, or any HMAC of it, leads to. Whatever was filed under the person
 *   (gsi3) is deleted, except what the counts need: a counted signature becomes an anonymous item under a
 *   random key that keeps only campaign, country and the day it was counted; an endorsement confirmed by its
 *   contact stays the organisation's, under a new random id, without the contact. The mailbox's subscriber,
 *   suppression and delivery items go too, and so does the request, leaving an audit item that says nothing
 *   of whose it was.
 * - Counts stay exact. The anonymous item carries the count marker and the export index keys, so a recount
 *   finds it; it is written in the same transaction that deletes the original, conditioned on the original
 *   being as read (counting.ts's invariant, counter = marked items, holds at every instant). A confirmed
 *   signature not counted yet is counted first, through countConfirmations itself; a count transaction that
 *   comes later finds the original gone and drops it as counted.
 * - The person is a stranger afterwards: signing again is a new signature that counts again.
 * - Work goes a page of the person index at a time. A click stops after `clickBudgetMs` and the daily job
 *   finishes what is left (as does another click on a link of the request); every step may be repeated.
 */
const clickBudgetMs = 6_000;
const pageSize = 25;

export const erasureKey = (email: string) => keys.erasure(personKey(email));

/**
 * Asks for erasure: a request that waits for the person to confirm by email (so nobody can erase another).
 * It is filed under the person, so its own links are erased with everything else.
 */
export async function requestErasure(email: string): Promise<void> {
  const key = erasureKey(email);
  // `done` was how finished requests used to stay behind: such a request starts again.
  await recordAwaitingConfirmation(key, { type: 'erasure', email, ...personIndex(key.pk, email) }, erasureStatus.awaitingLink, { reopenFrom: erasureStatus.done });
}

/** Erasures confirmed but not finished, for the daily job (the request holds the address until it is done). */

/**
 * The click: the request moves to `erasing` and the erasure runs, for `budgetMs` at most. A click on a
 * request that is already erasing carries on with it; one on a request that no longer exists (finished
 * meanwhile by another click) is answered as confirmed, since there is nothing left to do.
 */
export async function confirmErasure(key: { pk: string; sk: string }, scope: ClickScope = {}, budgetMs = clickBudgetMs): Promise<ConfirmOutcome> {
  const at = nowIso();
  const click = await confirmAwaiting(key, { from: erasureStatus.awaitingLink, to: erasureStatus.erasing, set: { confirmedAt: at, ...indexEntries.erasureErasing(at) }, ...scope });
  if (click.outcome === 'changed') return 'changed';
  if (!click.item) return 'already-confirmed';
  if (click.item.status === erasureStatus.erasing) await erase(click.item, Date.now() + budgetMs);
  return click.outcome;
}

/** Who erased on someone's behalf, and why: kept in the audit item, which never holds the address. */
export interface OperatorErasure {
  by: string;
  reason: string;
}

/**
 * An operator's erasure, for a person who asked by post or phone: the request is recorded already confirmed
 * (`erasing`) and runs at once through the same steps as a click, for `budgetMs` at most; the daily job
 * finishes what is left, as it does for a click. A supporter's request waiting for its link, or one already
 * erasing, is taken over. Returns whether it finished, and how many items it erased.
 */
export async function eraseNow(email: string, operator: OperatorErasure, budgetMs = clickBudgetMs): Promise<{ finished: boolean; items: number }> {
  const key = erasureKey(email);
  const at = nowIso();
  const result = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression:
        'SET #type = :type, email = :email, gsi3pk = :gsi3pk, gsi3sk = :gsi3sk, #status = :erasing, confirmedAt = if_not_exists(confirmedAt, :at), ' +
        'gsi2pk = :gsi2pk, gsi2sk = :at, erasedBy = :by, erasureReason = :reason REMOVE expiresAt',
      ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
      ExpressionAttributeValues: {
        ':type': 'erasure',
        ':email': email,
        ...Object.fromEntries(Object.entries(personIndex(key.pk, email)).map(([name, value]) => [`:${name}`, value])),
        ':erasing': erasureStatus.erasing,
        ':at': at,
        // Listed among the erasures under way, so the daily job finishes what this request cannot.
        ':gsi2pk': indexEntries.erasureErasing(at).gsi2pk,
        ':by': operator.by,
        ':reason': operator.reason,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const { done, erased } = await erase(result.Attributes ?? {}, Date.now() + budgetMs);
  return { finished: done, items: erased };
}

/** The daily job's part: erasures a click left unfinished. Returns how many it finished. */
export async function finishErasures(deadline: number): Promise<number> {
  let finished = 0;
  const pages = allPages({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': partitions.erasuresErasing },
    Limit: pageSize,
  });
  for await (const page of pages) {
    for (const request of page.Items ?? []) {
      if (Date.now() >= deadline) return finished;
      if ((await erase(request, deadline)).done) finished++;
    }
  }
  return finished;
}

/** Runs (or carries on with) one confirmed request; not `done` if it stopped at the deadline with work left. */
async function erase(request: Record<string, unknown>, deadline: number): Promise<{ done: boolean; erased: number }> {
  // A request without its address has nothing left to lead to: nothing to erase by it.
  if (typeof request.email !== 'string') return { done: false, erased: 0 };
  const { key, email, erasedItems } = erasureCodec.decode(request);
  const person = partitions.person(personKey(email));
  let erased = erasedItems;
  const pages = allPages({
    TableName: tableName(),
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :person',
    ExpressionAttributeValues: { ':person': person },
    Limit: pageSize,
  });
  for await (const page of pages) {
    const done = await Promise.all((page.Items ?? []).map((item) => eraseItem(item, person)));
    erased += done.filter(Boolean).length;
    if (Date.now() >= deadline) {
      await recordProgress(key, erased);
      return { done: false, erased };
    }
  }
  await eraseMailbox(emailKey(email));
  // The mailbox's confirmation-mail allowance is keyed by (another) HMAC of its address: it goes too.
  await deleteKeys(mailboxAllowanceKeys(email), limitsTableName());
  await closeRequest(key, erased, operatorOf(request));
  logger.info('personal data erased', { items: erased, byOperator: typeof request.erasedBy === 'string' });
  return { done: true, erased };
}

const maxItemAttempts = 5;

/**
 * Erases one item as it stands: every write is conditioned on the item being as read, and a failed condition
 * reads it again and decides again. True if something was erased. `person` (when given) is whose item it must
 * still be. Anonymising closed campaigns uses the same path, without a person.
 */
export async function eraseItem(found: Record<string, unknown>, person?: string): Promise<boolean> {
  const key = { pk: String(found.pk), sk: String(found.sk) };
  let item: Record<string, unknown> | undefined = found;
  for (let attempt = 1; attempt <= maxItemAttempts; attempt++) {
    if (!item || (person !== undefined && item.gsi3pk !== person)) return false;
    try {
      const step = await eraseStep(item);
      if (step !== 'read-again') return step === 'erased';
    } catch (error) {
      if (!changedMeanwhile(error)) throw error;
      // A concurrent writer (the stream's count, another click): let it finish, then decide again.
      await pause(attempt);
    }
    item = (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
  }
  throw new Error('An item kept changing while it was being erased; the erasure carries on later');
}

type Step = 'erased' | 'skipped' | 'read-again';

/** A condition failed, or a transaction met another one on the same item: the item is not as it was read. */
function changedMeanwhile(error: unknown): boolean {
  return isConditionFailure(error) || cancellationReasons(error) !== undefined || (error instanceof Error && error.name === 'TransactionConflictException');
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random())));

async function eraseStep(item: Record<string, unknown>): Promise<Step> {
  switch (item.type) {
    case 'erasure':
      // The request itself goes last, when everything else is done.
      return 'skipped';
    case 'signature':
      if (item.countedAt !== undefined) return moveAnonymised(item, anonymousSignature(item));
      if (item.status === signatureStatus.confirmed) return countFirst(item);
      return deleteAsRead(item);
    case 'endorsement':
      if (item.countedAt !== undefined) return moveAnonymised(item, anonymousEndorsement(item));
      if (item.status === endorsementStatus.approved) return countFirst(item);
      // Confirmed by its contact and waiting for an operator: the organisation's endorsement stays, without them.
      if (item.status === endorsementStatus.awaitingOperator) return moveAnonymised(item, anonymousEndorsement(item));
      return deleteAsRead(item);
    case 'token':
    case 'subscriber':
      return deleteAsRead(item);
    default:
      // Whatever is filed under a person is theirs: an item type added later goes too, and says so.
      logger.warn('erasing an item of an unknown type', { type: String(item.type) });
      return deleteAsRead(item);
  }
}

/** The condition that the item is still as read: same status, same count marker (or still none). */
function asRead(item: Record<string, unknown>) {
  const values: Record<string, unknown> = {};
  if (item.status !== undefined) values[':status'] = item.status;
  if (item.countedAt !== undefined) values[':countedAt'] = item.countedAt;
  return {
    ConditionExpression: [
      item.status === undefined ? 'attribute_not_exists(#status)' : '#status = :status',
      item.countedAt === undefined ? 'attribute_not_exists(countedAt)' : 'countedAt = :countedAt',
    ].join(' AND '),
    ExpressionAttributeNames: { '#status': 'status' },
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  };
}

async function deleteAsRead(item: Record<string, unknown>): Promise<Step> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: { pk: item.pk, sk: item.sk }, ...asRead(item) }));
  return 'erased';
}

/** The original goes and its anonymous remains arrive in one transaction: the count never sees both, nor neither. */
async function moveAnonymised(item: Record<string, unknown>, remains: Record<string, unknown>): Promise<Step> {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: tableName(), Item: remains, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Delete: { TableName: tableName(), Key: { pk: item.pk, sk: item.sk }, ...asRead(item) } },
      ],
    }),
  );
  return 'erased';
}

/**
 * A confirmation the stream has not counted yet is counted now, by the same exactly-once transaction, so the
 * item can move with its marker. It goes into the export index only (a recount must find it), never the
 * public list.
 */
async function countFirst(item: Record<string, unknown>): Promise<Step> {
  const confirmation = confirmationOf(item);
  if (!confirmation) return 'read-again';
  const listing = confirmation.listing && { gsi2pk: confirmation.listing.gsi2pk, gsi2sk: confirmation.listing.gsi2sk };
  const failed = await countConfirmations([{ ...confirmation, ...(listing ? { listing } : {}) }]);
  if (failed.length) throw new Error('A confirmation could not be counted before its erasure; the erasure carries on later');
  return 'read-again';
}

/** The day, at most: the counts need no more, and exact times would tell one person's remains from another's. */
const day = (value: unknown) => String(value).slice(0, 10);

function anonymousSignature(item: Record<string, unknown>): Record<string, unknown> {
  const campaign = String(item.campaign);
  const id = `erased-${randomId()}`;
  const countedOn = day(item.countedAt);
  return {
    ...keys.signature(campaign, id),
    type: 'signature',
    campaign,
    country: item.country,
    status: signatureStatus.erased,
    countedAt: countedOn,
    ...indexEntries.countedSignature(campaign, countedOn, id),
  };
}

/** The organisation's endorsement under a new random id, without its contact. */
function anonymousEndorsement(item: Record<string, unknown>): Record<string, unknown> {
  const id = randomBytes(13).toString('hex');
  const kept = ['type', 'campaign', 'organisation', 'country', 'website', 'status', 'createdAt', 'confirmedAt', 'decidedAt', 'decidedBy', 'countedAt'];
  const relisted = (sk: unknown) => relistedSortKey(String(sk), id);
  return {
    ...keys.endorsement(id),
    ...Object.fromEntries(kept.filter((name) => item[name] !== undefined).map((name) => [name, item[name]])),
    id,
    ...(item.gsi1pk ? { gsi1pk: item.gsi1pk, gsi1sk: relisted(item.gsi1sk) } : {}),
    ...(item.gsi2pk ? { gsi2pk: item.gsi2pk, gsi2sk: relisted(item.gsi2sk) } : {}),
  };
}

/**
 * What is keyed by the mailbox rather than filed under the person: the subscriber, the suppression entry and
 * one delivery per outreach ever sent. The subscriber goes first, so no new outreach plans a delivery for it.
 */
async function eraseMailbox(emailKey: string): Promise<void> {
  await deleteKeys([keys.subscriber(emailKey), keys.suppression(emailKey)]);
  for await (const ids of outreachIds()) await deleteKeys(ids.map((id) => keys.delivery(id, emailKey)));
}

const maxBatchAttempts = 8;

/** Deletes by key, 25 to a BatchWriteItem, retrying what DynamoDB left unprocessed. Missing items are no error. */
async function deleteKeys(all: { pk: string; sk: string }[], table = tableName()): Promise<void> {
  for (let i = 0; i < all.length; i += 25) {
    let requests = all.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 1; requests.length > 0; attempt++) {
      if (attempt > maxBatchAttempts) throw new Error('Deletes were left unprocessed; the erasure carries on later');
      if (attempt > 1) await pause(attempt);
      const result = await db().send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
}

async function recordProgress(key: { pk: string; sk: string }, erased: number): Promise<void> {
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'SET erasedItems = :n',
        ConditionExpression: '#status = :erasing',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':n': erased, ':erasing': erasureStatus.erasing },
      }),
    )
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/**
 * The request goes, and an audit item with only the day and how many items were erased takes its place, under
 * a random key: operators can tell that erasures happened, never whose.
 */
function operatorOf(request: Record<string, unknown>): OperatorErasure | undefined {
  return typeof request.erasedBy === 'string' && typeof request.erasureReason === 'string' ? { by: request.erasedBy, reason: request.erasureReason } : undefined;
}

async function closeRequest(key: { pk: string; sk: string }, erased: number, operator?: OperatorErasure): Promise<void> {
  const id = randomId();
  const on = day(nowIso());
  for (let attempt = 1; ; attempt++) {
    try {
      await db().send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: tableName(), Key: key, ConditionExpression: '#status = :erasing', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':erasing': erasureStatus.erasing } } },
            {
              Put: {
                TableName: tableName(),
                // An operator's erasure also says who did it, when and why: what they answer for, never whose it was.
                Item: { ...keys.erasureAudit(id), type: 'erasure-audit', erasedOn: on, items: erased, ...(operator ? { by: operator.by, reason: operator.reason, at: nowIso() } : {}), ...indexEntries.erasureDone(on, id) },
              },
            },
          ],
        }),
      );
      return;
    } catch (error) {
      // Another click (or the job) closed it first.
      if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return;
      if (!changedMeanwhile(error) || attempt >= maxItemAttempts) throw error;
      await pause(attempt);
    }
  }
}

/**
 * Every counted signature of a campaign becomes an anonymous item (campaign, country, the day it was counted)
 * under a random key, exactly as an erasure leaves them. Safe to run again after a stopped run.
 */
export async function anonymiseCountedSignatures(campaign: string): Promise<void> {
  // Anonymised signatures stay in the index (they still count): a rerun after a stopped run skips them. Each
  // shard in turn: an anonymous copy may land in any shard, but it is erased already, so no reader wants it.
  for (const query of unerasedCountedSignatures(campaign)) {
    for await (const page of allPages(query)) {
      for (const item of page.Items ?? []) await eraseItem(item);
    }
  }
}
