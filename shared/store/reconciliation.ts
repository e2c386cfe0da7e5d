import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { allPages } from './query-pages.ts';
import { logger } from '#shared/observability.ts';
import { db, isConditionFailure, keys, tableName } from './table.ts';
import { partitions } from './layout.ts';

export interface Tally {
  signatures: number;
  byCountry: Record<string, number>;
}

export interface Reconciliation {
  campaign: string;
  counter: Tally;
  recount: Tally;
  drift: number;
  corrected: boolean;
  /** Why a drift was not corrected: the counter kept moving, or the recount was not stable. */
  note?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readCounter(campaign: string): Promise<Tally> {
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: keys.counter(campaign), ConsistentRead: true }));
  return { signatures: Number(result.Item?.signatures ?? 0), byCountry: (result.Item?.byCountry as Record<string, number> | undefined) ?? {} };
}

/**
 * Counts the signatures that carry a count marker, via the export index (every marked signature is in it): its
 * shards (and the unsharded partition of earlier versions) at once, each read through with a projection of one
 * attribute, so a campaign's recount takes as long as its largest shard, not the whole campaign.
 */
export async function recountCampaign(campaign: string): Promise<{ tally: Tally; readUnits: number }> {
  const tallies = await Promise.all(partitions.allCountedSignatures(campaign).map((partition) => recountPartition(partition)));
  const total: Tally = { signatures: 0, byCountry: {} };
  let readUnits = 0;
  for (const tally of tallies) {
    total.signatures += tally.signatures;
    readUnits += tally.readUnits;
    for (const [country, n] of Object.entries(tally.byCountry)) total.byCountry[country] = (total.byCountry[country] ?? 0) + n;
  }
  return { tally: total, readUnits };
}

const recount = async (campaign: string): Promise<Tally> => (await recountCampaign(campaign)).tally;

async function recountPartition(partition: string): Promise<Tally & { readUnits: number }> {
  const tally = { signatures: 0, byCountry: {} as Record<string, number>, readUnits: 0 };
  const pages = allPages({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': partition },
    ProjectionExpression: 'country',
    ReturnConsumedCapacity: 'TOTAL',
  });
  for await (const page of pages) {
    tally.readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    for (const item of page.Items ?? []) {
      tally.signatures++;
      const country = typeof item.country === 'string' ? item.country : '';
      tally.byCountry[country] = (tally.byCountry[country] ?? 0) + 1;
    }
  }
  return tally;
}

const sameTally = (a: Tally, b: Tally) =>
  a.signatures === b.signatures && JSON.stringify(Object.entries(a.byCountry).sort()) === JSON.stringify(Object.entries(b.byCountry).sort());

/**
 * Recounts a campaign from its signatures and, when asked, corrects the counter — safely while signing
 * goes on. The invariant (counting.ts) is: counter = signatures with a count marker. A correction is made
 * only when two recounts, `settleMs` apart, agree with each other and the counter did not move meanwhile
 * (so neither a counting batch nor index lag can be mistaken for drift), and it is written conditionally
 * on the counter still holding the value read.
 *
 * `deadline` (epoch ms): no recount starts that the last one's duration says would end after it, so a large
 * campaign whose counter keeps moving stops in time (and says so in `note`) instead of being cut off by the
 * function's timeout; the next run tries again.
 */
export async function reconcileCampaign(campaign: string, options: { apply: boolean; settleMs?: number; attempts?: number; deadline?: number }): Promise<Reconciliation> {
  const settleMs = options.settleMs ?? 2000;
  let note = 'the counter kept moving; try again when signing is quieter';
  let recountMs = 0;
  const timed = async () => {
    const started = Date.now();
    const tally = await recount(campaign);
    recountMs = Date.now() - started;
    return tally;
  };
  const outOfTime = (recounts: number) => options.deadline !== undefined && Date.now() + recounts * recountMs + (recounts > 1 ? settleMs : 0) > options.deadline;
  let last: { counter: Tally; recount: Tally } | undefined;
  for (let attempt = 1; attempt <= (options.attempts ?? 5); attempt++) {
    if (attempt > 1 && outOfTime(2)) {
      note = 'out of time while the counter kept moving; the next run tries again';
      break;
    }
    const before = await readCounter(campaign);
    const first = await timed();
    last = { counter: before, recount: first };
    if (sameTally(first, before)) return { campaign, counter: before, recount: first, drift: 0, corrected: false };
    if (outOfTime(1)) {
      note = 'out of time before a second recount could confirm the drift; the next run tries again';
      break;
    }
    await sleep(settleMs);
    const second = await timed();
    const after = await readCounter(campaign);
    last = { counter: after, recount: second };
    if (!sameTally(before, after)) continue;
    if (!sameTally(first, second)) {
      note = 'the recount was still changing';
      continue;
    }
    const drift = second.signatures - after.signatures;
    logger.warn('count drift found', { campaign, drift, counter: after.signatures, recount: second.signatures });
    if (!options.apply) return { campaign, counter: after, recount: second, drift, corrected: false };
    try {
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.counter(campaign),
          UpdateExpression: 'SET signatures = :recount, byCountry = :byCountry',
          ConditionExpression: 'signatures = :seen',
          ExpressionAttributeValues: { ':recount': second.signatures, ':byCountry': second.byCountry, ':seen': after.signatures },
        }),
      );
      return { campaign, counter: after, recount: second, drift, corrected: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  // The latest view, for the answer: a fresh one when there is time for it, else the last one taken.
  const latest = last && outOfTime(1) ? last : { counter: await readCounter(campaign), recount: await recount(campaign) };
  return { campaign, ...latest, drift: latest.recount.signatures - latest.counter.signatures, corrected: false, note };
}
