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

/** Counts the signatures that carry a count marker, via the export index (every marked signature is in it). */
async function recount(campaign: string): Promise<Tally> {
  const tally: Tally = { signatures: 0, byCountry: {} };
  const pages = allPages({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': partitions.countedSignatures(campaign) },
    ProjectionExpression: 'country',
  });
  for await (const page of pages) {
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
 */
export async function reconcileCampaign(campaign: string, options: { apply: boolean; settleMs?: number; attempts?: number }): Promise<Reconciliation> {
  const settleMs = options.settleMs ?? 2000;
  let note = 'the counter kept moving; try again when signing is quieter';
  for (let attempt = 1; attempt <= (options.attempts ?? 5); attempt++) {
    const before = await readCounter(campaign);
    const first = await recount(campaign);
    if (sameTally(first, before)) return { campaign, counter: before, recount: first, drift: 0, corrected: false };
    await sleep(settleMs);
    const second = await recount(campaign);
    const after = await readCounter(campaign);
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
  const counter = await readCounter(campaign);
  const latest = await recount(campaign);
  return { campaign, counter, recount: latest, drift: latest.signatures - counter.signatures, corrected: false, note };
}
