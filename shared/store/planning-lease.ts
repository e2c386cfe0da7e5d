import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { now } from '#shared/clock.ts';
import { db, isConditionFailure, itemOfConditionFailure, keys, tableName } from './table.ts';

/**
 * Who plans an outreach, and how it may write its deliveries. The invariant: an unconditional write of a
 * delivery (planning's fast path, a BatchWriteItem put) only ever starts while its run holds a live lease on the
 * outreach, and only in the run that claimed the outreach first; every other write of a delivery is conditional
 * (`attribute_not_exists(pk)`). So no delivery that exists is ever put again: one a sender has claimed or sent is
 * never reset to `queued`, and never sent twice.
 *
 * - A run claims the lease with one conditional update of the outreach item (`planningRun`, `planningUntil`, and
 *   `planningClaims`, 0 from the outreach's creation). It is refused while another run's lease is live, and once
 *   the outreach is planned.
 * - `first`: no run ever claimed it (`planningClaims` was 0), so none of its deliveries exists yet and the run may
 *   put them unconditionally (an outreach is created once, conditionally, and never deleted: its id is never
 *   reused). A test send is planned without a lease, under its own outreach id, conditionally.
 *   An outreach made before the lease existed has no `planningClaims` and is never `first`: an earlier planner
 *   may have left deliveries.
 * - `after`: a run claimed it before and its lease lapsed (that run died, or failed and Lambda retries it). Its
 *   deliveries may exist and may be moving, so this run writes conditionally.
 * - `busy`: another run holds a live lease (a duplicate event, maybe running at the same time). This run polls
 *   the outreach until it is planned (and answers its recipients, writing nothing) or the lease lapses (and takes
 *   it over, `after`), for a bounded time well inside the planner's 15 minutes.
 *
 * Why that is enough: the holder renews the lease, on condition that it still holds it, before any write it
 * starts more than a third of a lease after its last renewal, and stops with `PlanningLeaseLost` if the renewal
 * is refused. A write therefore starts with at least two thirds of a lease (40 s) left, and one BatchWriteItem
 * call is bounded in time: it is sent once and abandoned after `batchWriteTimeoutMs` (outreach-store.ts). So every
 * unconditional write of a run has landed, or never will, before its lease lapses, and only then can another run
 * take over. A renewal is measured from the holder's clock before the request, so a slow renewal only shortens
 * the holder's own window; the 30 s left after the longest write cover any skew between two Lambda hosts' clocks.
 * Within the first run, whose own deliveries start moving as soon as they are written, no key is put twice: its
 * keys are distinct, only what DynamoDB left unprocessed (never written) is put again, and a request that failed
 * otherwise is not repeated but followed by conditional puts (outreach-store.ts `putBatch`).
 *
 * Why 60 s: long enough for that margin over one write, and for a holder to renew only every 20 s (one small
 * update among hundreds of batch writes); short enough that when a planner dies, Lambda's first retry (about a
 * minute after the failure) finds its lease lapsed, or waits a few seconds for it, instead of waiting for
 * minutes or giving up.
 */

export const planningLeaseMs = 60_000;

/** Renewed before a write that starts later than this after the last renewal. */
const renewAfterFraction = 1 / 3;

/** The lease of the run that holds it: ask it before each write. */
export class PlanningLease {
  private renewedAt: number;
  private renewal: Promise<void> | undefined;
  private lost: PlanningLeaseLost | undefined;

  constructor(
    readonly outreachId: string,
    readonly runId: string,
    /** `first`: this run may put the outreach's deliveries unconditionally. */
    readonly mode: 'first' | 'after',
    claimedAt: number,
    private readonly leaseMs: number,
  ) {
    this.renewedAt = claimedAt;
  }

  /**
   * Resolves when a write may start now under this lease: at once within a third of a lease of the last renewal,
   * else after renewing it (one renewal for all the writes waiting). Throws `PlanningLeaseLost` once another run
   * holds it: the run must stop.
   */
  async beforeWrite(): Promise<void> {
    if (this.lost) throw this.lost;
    if (now().getTime() - this.renewedAt <= this.leaseMs * renewAfterFraction) return;
    this.renewal ??= this.renew().finally(() => {
      this.renewal = undefined;
    });
    await this.renewal;
  }

  private async renew(): Promise<void> {
    const at = now().getTime();
    try {
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.outreach(this.outreachId),
          UpdateExpression: 'SET planningUntil = :until',
          ConditionExpression: 'planningRun = :run',
          ExpressionAttributeValues: { ':run': this.runId, ':until': at + this.leaseMs },
        }),
      );
      this.renewedAt = at;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      this.lost = new PlanningLeaseLost(this.outreachId);
      throw this.lost;
    }
  }
}

/** Another run took the lease over (this one's had lapsed): this run must write nothing more. */
export class PlanningLeaseLost extends Error {
  constructor(outreachId: string) {
    super(`Another run took over the planning of outreach ${outreachId}: this run's lease had lapsed`);
    this.name = 'PlanningLeaseLost';
  }
}

/** A claim's outcome: the lease (to plan with it), the outreach already planned (its recipients), or no outreach. */
export type PlanningClaim = { lease: PlanningLease } | { planned: number } | { missing: true };

export interface ClaimOptions {
  leaseMs?: number;
  /** Between two reads of the outreach while another run holds the lease. */
  pollMs?: number;
  /** How long a duplicate waits for another run's live lease before it fails (and Lambda retries it later). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  runId?: string;
}

/** 8 minutes: a run that took over after the longest wait still has 7 of its 15 to plan. */
const defaultMaxWaitMs = 8 * 60_000;
const defaultPollMs = 2_000;

/** Claims the planning of an outreach for this run, waiting while another run holds a live lease. */
export async function claimPlanning(outreachId: string, options: ClaimOptions = {}): Promise<PlanningClaim> {
  const { leaseMs = planningLeaseMs, pollMs = defaultPollMs, maxWaitMs = defaultMaxWaitMs, runId = randomUUID() } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let waited = 0;
  for (;;) {
    const claim = await tryClaim(outreachId, runId, leaseMs);
    if (claim !== 'busy') return claim;
    for (let lapsed = false; !lapsed; ) {
      if (waited >= maxWaitMs) throw new Error(`Outreach ${outreachId} is still being planned by another run after ${Math.round(waited / 1000)} s`);
      await sleep(pollMs);
      waited += pollMs;
      const state = await planningState(outreachId);
      if (!state) return { missing: true };
      if (state.planned) return { planned: state.recipients };
      lapsed = state.until === undefined || state.until < now().getTime();
    }
  }
}

async function tryClaim(outreachId: string, runId: string, leaseMs: number): Promise<PlanningClaim | 'busy'> {
  const at = now().getTime();
  try {
    const result = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.outreach(outreachId),
        UpdateExpression: 'SET planningRun = :run, planningUntil = :until ADD planningClaims :one',
        ConditionExpression: 'attribute_exists(pk) AND NOT planned = :true AND (attribute_not_exists(planningRun) OR planningUntil < :now)',
        ExpressionAttributeValues: { ':run': runId, ':until': at + leaseMs, ':one': 1, ':true': true, ':now': at },
        ReturnValues: 'UPDATED_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    const first = result.Attributes?.planningClaims === 0;
    return { lease: new PlanningLease(outreachId, runId, first ? 'first' : 'after', at, leaseMs) };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const item = itemOfConditionFailure(error);
    if (!item) return { missing: true };
    if (item.planned === true) return { planned: Number(item.recipients ?? 0) };
    return 'busy';
  }
}

async function planningState(outreachId: string): Promise<{ planned: boolean; recipients: number; until: number | undefined } | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.outreach(outreachId), ProjectionExpression: 'planned, recipients, planningUntil', ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return { planned: Item.planned === true, recipients: Number(Item.recipients ?? 0), until: typeof Item.planningUntil === 'number' ? Item.planningUntil : undefined };
}
