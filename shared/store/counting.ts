import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import { cancellationReasons, keys, tableName, db, type CancellationReason } from './table.ts';
import { indexEntries } from './layout.ts';
import { endorsementStatus, signatureStatus } from '#shared/domain/statuses.ts';

/** One item that now counts: a signature confirmed, or an endorsement approved. */
export interface Confirmation {
  campaign: string;
  key: { pk: string; sk: string };
  counter: 'signatures' | 'endorsements';
  /** Signatures only: the per-country breakdown. */
  country?: string;
  /** Signatures only: the confirmed-signature index (export) and, if the signer chose it, the public list. */
  listing?: { gsi2pk: string; gsi2sk: string; gsi1pk?: string; gsi1sk?: string };
}

/**
 * The confirmation an item stands for once it counts: a confirmed signature (with the listings the same write
 * sets: the export index, and the public list if the signer chose it) or an approved endorsement.
 */
export function confirmationOf(item: Record<string, unknown>): Confirmation | undefined {
  const key = { pk: String(item.pk), sk: String(item.sk) };
  const campaign = String(item.campaign);
  if (item.type === 'signature' && item.status === signatureStatus.confirmed) {
    const [at, id] = [String(item.confirmedAt), String(item.id)];
    const listing = {
      ...indexEntries.countedSignature(campaign, at, id),
      ...(item.public === true ? indexEntries.publicSignature(campaign, at, id) : {}),
    };
    return { campaign, key, counter: 'signatures', country: String(item.country), listing };
  }
  if (item.type === 'endorsement' && item.status === endorsementStatus.approved) return { campaign, key, counter: 'endorsements' };
  return undefined;
}

/** The attributes that file an item in the sparse index of uncounted confirmations (gsi4). */
const uncountedIndexAttributes = 'gsi4pk, gsi4sk';

// DynamoDB allows 100 actions per transaction: 99 markers and the counter.
const markersPerTransaction = 99;
const maxAttempts = 8;

/**
 * Adds confirmations to their campaigns' counters: one counter write per campaign per (≤99) items.
 *
 * Why this is exact: each signature carries a `countedAt` marker, and a signature is counted only in the
 * same transaction that sets its marker under `attribute_not_exists(countedAt)`. A transaction is all or
 * nothing, so a signature is in the counter if and only if its marker is set. Redelivered, bisected or
 * concurrently processed records find the marker already there; their transaction is cancelled, those
 * signatures are dropped from it, and the rest are retried. Nothing else writes the counter's
 * signature fields, so the count can never exceed or fall short of the marked signatures.
 *
 * Returns the confirmations that could not be counted (to be retried by the stream), never throws for them.
 */
export async function countConfirmations(confirmations: Confirmation[]): Promise<Confirmation[]> {
  const byCampaign = new Map<string, Map<string, Confirmation>>();
  for (const confirmation of confirmations) {
    const group = byCampaign.get(confirmation.campaign) ?? new Map<string, Confirmation>();
    // A transaction may touch an item once; the same signature twice in a batch counts once anyway.
    group.set(confirmation.key.pk, confirmation);
    byCampaign.set(confirmation.campaign, group);
  }
  const failed: Confirmation[] = [];
  for (const [campaign, group] of byCampaign) {
    const all = [...group.values()];
    for (let i = 0; i < all.length; i += markersPerTransaction) {
      const chunk = all.slice(i, i + markersPerTransaction);
      if (!(await countChunk(campaign, chunk))) failed.push(...chunk);
    }
  }
  return failed;
}

async function countChunk(campaign: string, chunk: Confirmation[]): Promise<boolean> {
  let pending = chunk;
  for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: transactionFor(campaign, pending) }));
      return true;
    } catch (error) {
      const reasons = retryReasons(error);
      if (!reasons) throw error;
      const alreadyCounted = new Set(
        reasons.flatMap((reason, index) => (index < pending.length && reason.Code === 'ConditionalCheckFailed' ? [index] : [])),
      );
      if (alreadyCounted.size > 0) {
        pending = pending.filter((_, index) => !alreadyCounted.has(index));
        continue;
      }
      // Conflicts with a concurrent batch on the same counter, or throttling: back off and try again.
      await sleep(Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
  return pending.length === 0;
}

function transactionFor(campaign: string, confirmations: Confirmation[]) {
  const at = nowIso();
  const perCountry = new Map<string, number>();
  let signatures = 0;
  let endorsements = 0;
  for (const c of confirmations) {
    if (c.counter === 'endorsements') {
      endorsements++;
      continue;
    }
    signatures++;
    if (c.country) perCountry.set(c.country, (perCountry.get(c.country) ?? 0) + 1);
  }
  const names: Record<string, string> = {};
  const values: Record<string, number> = { ':s': signatures, ':e': endorsements };
  const sets = [...perCountry.entries()].map(([country, n], i) => {
    names[`#c${i}`] = country;
    values[`:c${i}`] = n;
    return `byCountry.#c${i} = if_not_exists(byCountry.#c${i}, :zero) + :c${i}`;
  });
  if (sets.length > 0) values[':zero'] = 0;
  return [
    ...confirmations.map((c) => ({
      Update: {
        TableName: tableName(),
        Key: c.key,
        // The same write indexes the signature for export (and the public list): no extra write per signature;
        // and takes it out of the sparse index of uncounted confirmations (layout.ts `uncountedSignature`).
        UpdateExpression: `${['SET countedAt = :at', ...Object.keys(c.listing ?? {}).map((k) => `${k} = :${k}`)].join(', ')} REMOVE ${uncountedIndexAttributes}`,
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(countedAt)',
        ExpressionAttributeValues: { ':at': at, ...Object.fromEntries(Object.entries(c.listing ?? {}).map(([k, v]) => [`:${k}`, v])) },
      },
    })),
    {
      Update: {
        TableName: tableName(),
        Key: keys.counter(campaign),
        UpdateExpression: `ADD signatures :s, endorsements :e${sets.length ? ` SET ${sets.join(', ')}` : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ...(sets.length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      },
    },
  ];
}

const transient = new Set(['TransactionConflictException', 'ThrottlingException', 'ProvisionedThroughputExceededException']);

/** A cancellation's reasons; a transient failure is one with no reasons (retry it all); anything else undefined. */
function retryReasons(error: unknown): CancellationReason[] | undefined {
  if (error instanceof Error && transient.has(error.name)) return [];
  return cancellationReasons(error);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
