import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { allPages } from './query-pages.ts';
import { nowIso } from '#shared/clock.ts';
import { ConflictError, notFound } from '#shared/domain/errors.ts';
import { outreachCodec, subscriberCodec } from './items.ts';
import { cancellationReasons, db, isConditionFailure, keys, retriedOnlyWhenRefused, tableName } from './table.ts';
import type { PlanningLease } from './planning-lease.ts';
import { indexEntries, partitions } from './layout.ts';

import { progressOf, type Outreach, type OutreachKind, type OutreachProgress, type DeliveryOutcome } from '#shared/domain/outreach.ts';
import { messageIn } from '#shared/domain/outreach-planning.ts';
import type { Subscriber } from '#shared/domain/subscription.ts';
import { mailLocales, type MailLocale } from '#shared/i18n/locales.ts';
import { queryPage } from './query-pages.ts';
import type { Page } from './pagination.ts';
export type { Outreach, OutreachKind, DeliveryOutcome };

/** An outreach as operators see it: where it stands and what it is, never an address. */
export interface OutreachStatus {
  id: string;
  kind: OutreachKind;
  status: OutreachProgress;
  recipients: number;
  sent: number;
  failed: number;
  skipped: number;
  createdAt: string;
  campaign?: string;
  /** The subject in the campaign's language (the call's first line, to know it again in a list). */
  subject?: string;
  locales?: MailLocale[];
  test?: boolean;
  sendAt?: string;
  cancelledAt?: string;
}

/** Creates the outreach once: a digest's id is its period, so asking twice for one period is one outreach. */
export async function createOutreach(outreach: Omit<Outreach, 'planned' | 'recipients' | 'sent' | 'failed' | 'skipped' | 'createdAt'>): Promise<{ created: boolean }> {
  const at = nowIso();
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.outreach(outreach.id),
          type: 'outreach',
          ...outreach,
          planned: false,
          // No run has claimed its planning yet: the first may write its deliveries unconditionally (planning-lease.ts).
          planningClaims: 0,
          recipients: 0,
          sent: 0,
          failed: 0,
          skipped: 0,
          createdAt: at,
          ...outreachListing(outreach.id, at),
          // Only while it waits: the minute's starter reads just the ones due.
          ...(outreach.state === 'scheduled' && outreach.sendAt ? indexEntries.scheduledOutreach(outreach.sendAt, outreach.id) : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { created: true };
  } catch (error) {
    if (isConditionFailure(error)) return { created: false };
    throw error;
  }
}

/** Every outreach in one index partition (a few a week): erasure deletes a person's delivery in each. */
const outreachListing = indexEntries.outreach;

/** The ids of every outreach ever made, a page at a time. */
export async function* outreachIds(): AsyncGenerator<string[]> {
  const pages = allPages({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': partitions.outreaches },
    ProjectionExpression: 'id',
  });
  for await (const page of pages) yield (page.Items ?? []).map((item) => outreachCodec.decodeId(item));
}

export async function findOutreach(id: string): Promise<Outreach | undefined> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined;
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: keys.outreach(id), ConsistentRead: true }));
  return result.Item ? outreachCodec.decode(result.Item) : undefined;
}

export async function outreachStatus(id: string): Promise<OutreachStatus> {
  const outreach = await findOutreach(id);
  if (!outreach) throw notFound(`There is no outreach "${id}".`);
  return statusOf(outreach);
}

function statusOf(outreach: Outreach): OutreachStatus {
  const locales = mailLocales.filter((locale) => outreach.messages?.[locale]);
  const subject = outreach.kind === 'urgent-call' ? messageIn(outreach, outreach.locale ?? 'en').subject : undefined;
  return {
    id: outreach.id,
    kind: outreach.kind,
    status: progressOf(outreach),
    recipients: outreach.recipients,
    sent: outreach.sent,
    failed: outreach.failed,
    skipped: outreach.skipped,
    createdAt: outreach.createdAt,
    ...(outreach.campaign ? { campaign: outreach.campaign } : {}),
    ...(subject ? { subject } : {}),
    ...(locales.length ? { locales } : {}),
    ...(outreach.test ? { test: true } : {}),
    ...(outreach.sendAt ? { sendAt: outreach.sendAt } : {}),
    ...(outreach.cancelledAt ? { cancelledAt: outreach.cancelledAt } : {}),
  };
}

/** Every outreach, newest first: past, under way and scheduled (a scheduled one is listed when it was made). */
export function listOutreach(page: { limit: number; cursor?: string | undefined }): Promise<Page<OutreachStatus>> {
  return queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': partitions.outreaches },
      ScanIndexForward: false,
    },
    { scope: 'outreach', limit: page.limit, cursor: page.cursor, keyAttributes: ['pk', 'sk', 'gsi2pk', 'gsi2sk'], map: (item) => statusOf(outreachCodec.decode(item)) },
  );
}

/**
 * Stops a scheduled or running outreach: a scheduled one never starts; of a running one, the sender skips (and
 * counts) every delivery it has not handed to SES yet. Repeating it changes nothing; a finished one is a conflict.
 */
export async function cancelOutreach(id: string, by: string): Promise<OutreachStatus> {
  const outreach = await findOutreach(id);
  if (!outreach) throw notFound(`There is no outreach "${id}".`);
  if (outreach.state === 'cancelled') return statusOf(outreach);
  if (progressOf(outreach) === 'done') throw new ConflictError('outreach-done', 'This outreach has been sent in full: there is nothing left to cancel.');
  try {
    const result = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.outreach(id),
        UpdateExpression: 'SET #state = :cancelled, cancelledAt = :at, cancelledBy = :by REMOVE gsi1pk, gsi1sk',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#state) OR #state <> :cancelled)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':cancelled': 'cancelled', ':at': nowIso(), ':by': by },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return statusOf(outreachCodec.decode(result.Attributes ?? {}));
  } catch (error) {
    // Cancelled meanwhile by another request: the same answer.
    if (isConditionFailure(error)) return outreachStatus(id);
    throw error;
  }
}

/**
 * A test send's addresses are needed until every version has gone (or it was cancelled); then only how many there
 * were stays on record, with who asked: no address outlives the send, so no erasure has one to look for.
 */
export async function forgetTestAddressesOnceSent(id: string): Promise<void> {
  const outreach = await findOutreach(id);
  const progress = outreach ? progressOf(outreach) : undefined;
  if (!outreach?.testTo || (progress !== 'done' && progress !== 'cancelled')) return;
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.outreach(id),
        UpdateExpression: 'REMOVE testTo SET testAddresses = :n',
        ConditionExpression: 'attribute_exists(testTo)',
        ExpressionAttributeValues: { ':n': outreach.testTo.length },
      }),
    );
  } catch (error) {
    // Another sender's last delivery got there first.
    if (!isConditionFailure(error)) throw error;
  }
}

/** Read just before each send, never cached: a cancellation stops the very next delivery. */
export async function isCancelled(id: string): Promise<boolean> {
  const result = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.outreach(id), ProjectionExpression: '#state', ExpressionAttributeNames: { '#state': 'state' }, ConsistentRead: true }),
  );
  return result.Item?.state === 'cancelled';
}

/** The ids of scheduled outreach due by `at`, earliest first. */
export async function dueOutreach(at: string): Promise<string[]> {
  const ids: string[] = [];
  const pages = allPages({
    TableName: tableName(),
    IndexName: 'gsi1',
    // `<at>#~` sorts after every `<at>#<id>`: an outreach due at this very millisecond is due.
    KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :at',
    ExpressionAttributeValues: { ':pk': partitions.scheduledOutreaches, ':at': `${at}#~` },
  });
  for await (const page of pages) ids.push(...(page.Items ?? []).map((item) => outreachCodec.decodeId(item)));
  return ids;
}

/**
 * Starts a scheduled outreach: it becomes queued and leaves the waiting index; the stream's router then asks for
 * its planning, as for one sent at once. False if it had started, or was cancelled, before.
 */
export async function startScheduled(id: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.outreach(id),
        UpdateExpression: 'SET #state = :queued, startedAt = :at REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#state = :scheduled',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':queued': 'queued', ':scheduled': 'scheduled', ':at': nowIso() },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Every confirmed subscriber, a page at a time: the one reading of "who could receive an outreach" that the
 * planner and an urgent call's dry run share (each then asks isRecipient).
 */
export async function* confirmedSubscriberPages(): AsyncGenerator<Subscriber[]> {
  const pages = allPages({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': partitions.confirmedSubscribers },
  });
  for await (const page of pages) yield (page.Items ?? []).map((item) => subscriberCodec.decode(item));
}

/** A new delivery, queued, with its index entry. */
function deliveryItem(outreachId: string, emailKey: string) {
  return {
    ...keys.delivery(outreachId, emailKey),
    type: 'delivery',
    outreachId,
    // Stored under its old attribute name; it holds the email key.
    subscriberKey: emailKey,
    status: 'queued',
    createdAt: nowIso(),
    ...indexEntries.delivery(outreachId, emailKey),
  };
}

/** A new delivery, written only where none exists: a delivery already made (and perhaps sent) is never reset. */
function deliveryPut(outreachId: string, emailKey: string) {
  return { TableName: tableName(), Item: deliveryItem(outreachId, emailKey), ConditionExpression: 'attribute_not_exists(pk)' };
}

/** One delivery per recipient per outreach, created once whatever retries happen; false if it existed. */
export async function createDelivery(outreachId: string, emailKey: string): Promise<boolean> {
  try {
    await db().send(new PutCommand(deliveryPut(outreachId, emailKey)));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** What a planning run asks before each write: its lease (planning-lease.ts). */
export type WritingLease = Pick<PlanningLease, 'mode' | 'beforeWrite'>;

/** DynamoDB's limit of actions in one transaction. */
const deliveriesPerTransaction = 100;

/** Transactions in flight at once. */
const transactionsInFlight = 4;

/**
 * Deliveries for many recipients, each created once. The keys must be distinct, in this call and, for a first
 * run, across the run's calls (the planner's are: one index entry per subscriber, read in key order).
 *
 * Without a lease (a test send) or under an `after` lease, as createDelivery does: in transactions of up to 100
 * conditional puts, four at a time. A transaction is all or nothing, so one that meets a delivery made before (a
 * re-run after a crash, a redelivered event) or a concurrent writer is cancelled whole, and its recipients are
 * then created one by one.
 *
 * Under a `first` lease nothing of the outreach's exists yet, so the deliveries are put without a condition,
 * 25 to a BatchWriteItem, several requests in flight: half the write units of a transaction, and DynamoDB Local
 * writes them more than twice as fast.
 *
 * Each request waits for the lease's `beforeWrite`; a failure stops every writer before its next request and is
 * thrown once all have stopped, so no write of this call starts after it returns. Returns how many deliveries
 * this call created.
 */
export async function createDeliveries(outreachId: string, emailKeys: readonly string[], lease?: WritingLease): Promise<number> {
  if (lease?.mode === 'first') return inParallel(chunksOf(emailKeys, deliveriesPerBatch), batchesInFlight, (chunk) => putBatch(outreachId, chunk, lease));
  return inParallel(chunksOf(emailKeys, deliveriesPerTransaction), transactionsInFlight, (chunk) => createChunk(outreachId, chunk, lease));
}

function chunksOf(emailKeys: readonly string[], size: number): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < emailKeys.length; i += size) chunks.push(emailKeys.slice(i, i + size));
  return chunks;
}

/** `write` over the chunks, `inFlight` at a time; after a failure no writer takes another chunk. */
async function inParallel(chunks: string[][], inFlight: number, write: (chunk: string[]) => Promise<number>): Promise<number> {
  let created = 0;
  let failure: { error: unknown } | undefined;
  const writer = async () => {
    for (let chunk = chunks.shift(); chunk && !failure; chunk = chunks.shift()) {
      try {
        // Awaited before it is added: `created += await …` would add to the value read before the wait.
        const made = await write(chunk);
        created += made;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, writer));
  if (failure) throw failure.error;
  return created;
}

async function createChunk(outreachId: string, chunk: string[], lease: WritingLease | undefined): Promise<number> {
  await lease?.beforeWrite();
  try {
    await db().send(new TransactWriteCommand({ TransactItems: chunk.map((key) => ({ Put: deliveryPut(outreachId, key) })) }));
    return chunk.length;
  } catch (error) {
    if (!cancellationReasons(error)) throw error;
    let created = 0;
    for (const key of chunk) {
      await lease?.beforeWrite();
      if (await createDelivery(outreachId, key)) created += 1;
    }
    return created;
  }
}

/** BatchWriteItem's limit of puts in one request (and 16 MB, far above 25 deliveries of under 1 KB). */
const deliveriesPerBatch = 25;

/** Batch requests in flight at once. */
const batchesInFlight = 8;

/**
 * How long one batch request may take before it is abandoned: the lease (planning-lease.ts) counts on every
 * unconditional write having landed, or never landing, within this of its start.
 */
const batchWriteTimeoutMs = 10_000;

/** Rounds of UnprocessedItems before the run fails (and Lambda retries it, conditionally, a minute later). */
const maxBatchRounds = 10;

type PutRequest = { PutRequest: { Item: ReturnType<typeof deliveryItem> } };

/**
 * One batch of a first run's deliveries, put unconditionally, and again for those DynamoDB left unprocessed
 * (throttled: never written), after a pause. A request that fails may have been written in part, and its SDK
 * retries are cut short (`retriedOnlyWhenRefused`): putting a delivery twice could reset one a sender has
 * already claimed. Its deliveries are created conditionally instead.
 */
async function putBatch(outreachId: string, chunk: string[], lease: WritingLease): Promise<number> {
  const table = tableName();
  let requests: PutRequest[] = chunk.map((key) => ({ PutRequest: { Item: deliveryItem(outreachId, key) } }));
  for (let round = 1; requests.length > 0; round++) {
    if (round > maxBatchRounds) throw new Error(`${requests.length} deliveries of outreach ${outreachId} were left unprocessed ${maxBatchRounds} times`);
    if (round > 1) await pause(round);
    await lease.beforeWrite();
    try {
      const result = await db().send(retriedOnlyWhenRefused(new BatchWriteCommand({ RequestItems: { [table]: requests } })), {
        abortSignal: AbortSignal.timeout(batchWriteTimeoutMs),
      });
      requests = (result.UnprocessedItems?.[table] ?? []) as PutRequest[];
    } catch {
      await createChunk(outreachId, requests.map((request) => request.PutRequest.Item.subscriberKey), lease);
      requests = [];
    }
  }
  return chunk.length;
}

/** Exponential, jittered, at most about 3 s: DynamoDB throttles by the second. */
function pause(round: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(3_000, 50 * 2 ** round) * (0.5 + Math.random() / 2)));
}

/**
 * Planning is finished: the recipient count is the number of deliveries, counted (so a re-run cannot inflate it),
 * over every shard of the outreach's deliveries at once.
 */
export async function finishPlanning(outreachId: string): Promise<number> {
  const counts = await Promise.all(partitions.allDeliveries(outreachId).map((partition) => countIn(partition)));
  const recipients = counts.reduce((sum, n) => sum + n, 0);
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.outreach(outreachId),
      UpdateExpression: 'SET planned = :true, recipients = :n, plannedAt = :at',
      ExpressionAttributeValues: { ':true': true, ':n': recipients, ':at': nowIso() },
    }),
  );
  return recipients;
}

async function countIn(partition: string): Promise<number> {
  let count = 0;
  const pages = allPages({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': partition },
    Select: 'COUNT',
  });
  for await (const page of pages) count += page.Count ?? 0;
  return count;
}

/**
 * A delivery moves queued → claimed (taken by a sender, waiting for its turn under the pace) → sending (handed to
 * SES) → sent | failed. Claiming again a `claimed` delivery is allowed: it was left by a sender that died or by a
 * repeated message, and of two senders holding it only one moves it on to `sending` (a conditional update). A
 * `sending` one is never sent again, unless SES answered that it did not take it (releaseDelivery).
 */
export async function claimDelivery(outreachId: string, emailKey: string): Promise<boolean> {
  return moveDelivery(outreachId, emailKey, ['queued', 'claimed'], 'claimed');
}

/** The last step before SES: after it, the delivery is never sent again, whatever happens. */
export async function startSending(outreachId: string, emailKey: string): Promise<boolean> {
  return moveDelivery(outreachId, emailKey, ['claimed'], 'sending');
}

/** SES refused the send for now (throttled, paused): the delivery waits again, for its message's next delivery. */
export async function releaseDelivery(outreachId: string, emailKey: string): Promise<boolean> {
  return moveDelivery(outreachId, emailKey, ['sending'], 'claimed');
}

async function moveDelivery(outreachId: string, emailKey: string, from: string[], to: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.delivery(outreachId, emailKey),
        UpdateExpression: `SET #status = :to, ${to}At = :at`,
        ConditionExpression: from.map((_, i) => `#status = :from${i}`).join(' OR '),
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':to': to, ':at': nowIso(), ...Object.fromEntries(from.map((f, i) => [`:from${i}`, f])) },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Records how a delivery ended and counts it on the outreach in one transaction, so the outreach's
 * numbers are exactly the deliveries' states. `from` is the state the delivery must still be in.
 */
export async function finishDelivery(
  outreachId: string,
  emailKey: string,
  from: 'claimed' | 'sending',
  outcome: DeliveryOutcome,
  detail?: string,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await finishOnce(outreachId, emailKey, from, outcome, detail);
    } catch (error) {
      // The outreach item is shared by every delivery: a concurrent finish may conflict; try again.
      const conflict = cancellationReasons(error) !== undefined;
      if (!conflict || attempt >= 8) throw error;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * Math.random()));
    }
  }
}

async function finishOnce(outreachId: string, emailKey: string, from: 'claimed' | 'sending', outcome: DeliveryOutcome, detail?: string): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.delivery(outreachId, emailKey),
              UpdateExpression: `SET #status = :outcome, finishedAt = :at${detail ? ', detail = :detail' : ''}`,
              ConditionExpression: '#status = :from',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':outcome': outcome, ':from': from, ':at': nowIso(), ...(detail ? { ':detail': detail } : {}) },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: keys.outreach(outreachId),
              UpdateExpression: 'ADD #outcome :one',
              ExpressionAttributeNames: { '#outcome': outcome },
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

export async function isSuppressed(emailKey: string): Promise<boolean> {
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: keys.suppression(emailKey) }));
  return Boolean(result.Item);
}

export async function suppress(emailKey: string, reason: 'bounce' | 'complaint'): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.suppression(emailKey), type: 'suppression', reason, at: nowIso() },
    }),
  );
}

/** Claims a one-off notice by id; false if it was claimed before (the notice was already sent). */
export async function claimNotice(id: string): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.notice(id), type: 'notice', at: nowIso() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Gives a claimed notice back when its mail could not be sent for now, so the event's retry sends it. */
export async function releaseNotice(id: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.notice(id) }));
}
