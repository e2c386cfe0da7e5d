import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '#shared/clock.ts';
import { db, isConditionFailure, itemOfConditionFailure, limitsTableName } from './table.ts';
import { limitKeys } from './layout.ts';

/** One fixed window of a subject's limit: at most `limit` admissions in each `seconds`-long window. */
export interface RateWindow {
  /** Names the window's attributes in the subject's item (`burst` → `burstStart`, `burstHits`). */
  name: string;
  limit: number;
  seconds: number;
}

/** An admission holds its place in every window until `release` gives it back (when another subject refused). */
export type Admission = { allowed: true; release: () => Promise<void> } | { allowed: false; retryAfterSeconds: number };

/** How often a request that lost a race for the item (another request rolled a window over first) tries again. */
const attempts = 4;

/**
 * The most admissions one claim takes, and the fraction of a shard's smallest share it may take at once: a
 * subject allowed fewer than 32 admissions a window (every per-IP default) is never leased, so it is counted
 * exactly, one write an admission.
 */
const maxClaim = 64;
const shareFractionPerClaim = 16;

interface Window extends RateWindow {
  start: number;
  share: number;
}

type Stored = Record<string, unknown> | undefined;

/**
 * Admissions a container has claimed in the store for a subject and not used yet, good only in the windows they
 * were claimed in. `next` is the size of the next claim: it doubles while this container keeps needing more, up
 * to the cap, and starts again at 1 in each new window. `full` holds the shards found full, each until the
 * windows that refused end: a leased subject's count never goes down within a window (an admission given back
 * stays in the lease), so asking again before then could only be refused again.
 */
interface Lease {
  windows: string;
  left: number;
  next: number;
  endsAt: number;
  full: Map<number, number>;
  /** The claim under way for this subject in this container: others wait for it rather than race it for the item. */
  claiming?: Promise<unknown>;
  /** How many wait for it: the next claim takes enough for them all (up to the cap). */
  waiting: number;
}

const leases = new Map<string, Lease>();
/** Leases of windows that have ended are swept once this many subjects have one. */
const sweepAbove = 1000;

/**
 * A subject's fixed windows (per IP: burst and sustained) in ONE item of the limits table (no stream: a counter
 * moving is nobody else's business), admitted by ONE conditional UpdateItem that counts every window at once,
 * and only while every window is under its limit. A refused request fails the condition and writes nothing; the
 * item expires a minute after its longest window. A busy subject (a viral campaign) spreads its windows over
 * `shards` items, each allowed its share of every limit, so the limiter is never the hot row it protects
 * against.
 *
 * A subject with a large share (a campaign's windows, a partner's account) is admitted from a lease: one write
 * claims several admissions at once, on the same condition that none of the windows goes over, and the
 * container hands them out without a round trip. The store never counts more than the limit; what a container
 * claimed and did not use when a window ends was counted and is lost, so a subject at its limit can be refused
 * up to one claim per busy container early, never admitted late. The claim grows (1, 2, 4 … `cap`) only while
 * the container keeps using it up, so a quiet container strands at most one small claim a window. A container
 * makes one claim at a time per subject: requests that find the lease empty while a claim is under way wait for
 * it, and the next claim is sized for all of them. A shard found full refuses that container's next draws of it
 * without a write until its windows end: under a flood past the limit, the refusals cost nothing.
 *
 * The first write assumes the windows stored are the current ones (or that there is no item yet): one round
 * trip for every claim but the first after a window rolls over, which rewrites that window from the item the
 * failed condition returned, on the condition that nobody rewrote it meanwhile.
 */
export async function admit(scope: string, subject: string, rateWindows: RateWindow[], shards = 1): Promise<Admission> {
  const nowSeconds = Math.floor(now().getTime() / 1000);
  const windows: Window[] = rateWindows.map((w) => ({ ...w, start: nowSeconds - (nowSeconds % w.seconds), share: Math.ceil(w.limit / shards) }));
  const retryAfter = (full: Window[]) => ({ allowed: false as const, retryAfterSeconds: Math.max(...full.map((w) => w.start + w.seconds - nowSeconds)) });
  // A rule that allows nothing refuses without a write.
  const closed = windows.filter((w) => w.share < 1);
  if (closed.length) return retryAfter(closed);

  const cap = leaseCap(windows);
  const leaseKey = `${scope}#${subject}`;
  const current = windows.map((w) => w.start).join(',');
  const lease = cap > 1 ? currentLease(leaseKey, current, Math.min(...windows.map((w) => w.start + w.seconds)), nowSeconds) : undefined;
  const fromLease: Admission = { allowed: true, release: () => Promise.resolve(giveBackToLease(leaseKey, current)) };
  if (lease && lease.left > 0) {
    lease.left--;
    return fromLease;
  }
  if (lease?.claiming) {
    // Locally one process serves every request, and at a window's turn they all find the lease empty at once.
    lease.waiting++;
    await lease.claiming.catch(() => undefined);
    lease.waiting--;
    return admit(scope, subject, rateWindows, shards);
  }

  // An unsharded subject (shards = 1) always draws shard 0.
  const shard = Math.floor(Math.random() * shards);
  const fullUntil = lease?.full.get(shard);
  if (fullUntil !== undefined) return { allowed: false, retryAfterSeconds: Math.max(1, fullUntil - nowSeconds) };
  const key = limitKeys.rateSubject(scope, subject, shard);
  const wanted = lease ? Math.min(cap, Math.max(lease.next, lease.waiting + 1)) : 1;
  // The lease learns what the claim got before anyone waiting for it looks again.
  const claiming: Promise<Claimed> = claim(scope, key, windows, wanted)
    .then((claimed) => {
      if (!lease) return claimed;
      if (claimed.allowed) {
        lease.left += claimed.count - 1;
        lease.next = Math.max(lease.next, Math.min(cap, claimed.count * 2));
      } else {
        lease.full.set(shard, nowSeconds + retryAfter(claimed.full).retryAfterSeconds);
      }
      return claimed;
    })
    .finally(() => {
      if (lease?.claiming === claiming) delete lease.claiming;
    });
  if (lease) lease.claiming = claiming;
  const claimed = await claiming;
  if (!claimed.allowed) return retryAfter(claimed.full);
  return lease ? fromLease : { allowed: true, release: () => release(key, windows) };
}

/** The most one claim may take: a sixteenth of the smallest share, at most `maxClaim`, at least 1 (no lease). */
function leaseCap(windows: Window[]): number {
  return Math.max(1, Math.min(maxClaim, Math.floor(Math.min(...windows.map((w) => w.share)) / shareFractionPerClaim)));
}

/**
 * Counts `wanted` admissions in every window of the item, or as many as every window still has room for (at
 * least one), in one conditional write; refuses with the windows that are full.
 */
type Claimed = { allowed: true; count: number } | { allowed: false; full: Window[] };

async function claim(scope: string, key: ReturnType<typeof limitKeys.rateSubject>, windows: Window[], wanted: number): Promise<Claimed> {
  const expiresAt = Math.max(...windows.map((w) => w.start + w.seconds)) + 60;
  let stored: Stored;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const item = stored;
    const room = (w: Window) => (item?.[`${w.name}Start`] === w.start ? w.share - Number(item[`${w.name}Hits`]) : w.share);
    const full = item ? windows.filter((w) => room(w) < 1) : [];
    if (full.length) return { allowed: false, full };
    const count = Math.min(wanted, ...windows.map(room));
    try {
      await db().send(new UpdateCommand({ TableName: limitsTableName(), Key: key, ...admission(windows, stored, expiresAt, count), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      return { allowed: true, count };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      stored = itemOfConditionFailure(error) ?? {};
    }
  }
  throw new Error(`The limit of ${scope} stayed contended for ${attempts} attempts`);
}

/** The container's lease of the subject in the current windows, started empty when the windows rolled over. */
function currentLease(leaseKey: string, windows: string, endsAt: number, nowSeconds: number): Lease {
  const lease = leases.get(leaseKey);
  if (lease?.windows === windows) return lease;
  if (leases.size >= sweepAbove) sweepLeases(nowSeconds);
  const fresh: Lease = { windows, left: 0, next: 1, endsAt, full: new Map(), waiting: 0 };
  leases.set(leaseKey, fresh);
  return fresh;
}

/** An admission from a lease given back stays claimed in the store: the next request here uses it. */
function giveBackToLease(leaseKey: string, windows: string): void {
  const lease = leases.get(leaseKey);
  if (lease?.windows === windows) lease.left++;
}

function sweepLeases(nowSeconds: number): void {
  for (const [key, lease] of leases) if (lease.endsAt <= nowSeconds) leases.delete(key);
}

/** Forgets every lease: for tests that start their windows again from an empty table. */
export function forgetLeases(): void {
  leases.clear();
}

/** How many subjects this container holds a lease of (what the sweep bounds). */
export function heldLeases(): number {
  return leases.size;
}

/**
 * The update that counts `count` admissions in every window. Without a stored item to go by: the windows are
 * assumed current (or the item new). With one: a window it holds for the current period is counted on, one it
 * holds for an older period (or not at all) starts again at `count`, on the condition that it is still so.
 */
function admission(windows: Window[], stored: Stored, expiresAt: number, count: number) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':count': count, ':expires': expiresAt };
  const sets = ['expiresAt = :expires'];
  const conditions: string[] = [];
  windows.forEach((w, i) => {
    Object.assign(names, { [`#s${i}`]: `${w.name}Start`, [`#h${i}`]: `${w.name}Hits` });
    values[`:s${i}`] = w.start;
    const storedStart = stored?.[`${w.name}Start`];
    if (!stored || storedStart === w.start) {
      // Room for `count` more: hits + count ≤ share.
      Object.assign(values, { [`:l${i}`]: w.share - count + 1, ':zero': 0 });
      sets.push(`#s${i} = :s${i}`, `#h${i} = if_not_exists(#h${i}, :zero) + :count`);
      conditions.push(`#s${i} = :s${i} AND #h${i} < :l${i}`);
    } else {
      sets.push(`#s${i} = :s${i}`, `#h${i} = :count`);
      if (storedStart === undefined) {
        conditions.push(`attribute_not_exists(#s${i})`);
      } else {
        values[`:o${i}`] = storedStart;
        conditions.push(`#s${i} = :o${i}`);
      }
    }
  });
  const current = conditions.join(' AND ');
  return {
    UpdateExpression: `SET ${sets.join(', ')}`,
    // A new subject has no item: the first admission creates it.
    ConditionExpression: stored ? current : `attribute_not_exists(pk) OR (${current})`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Gives an admission back: the subject was admitted, but another of the request's subjects refused it, and a
 * refused request leaves no trace. Only while none of the windows has rolled over since: a window that began
 * again holds no trace of it.
 */
async function release(key: ReturnType<typeof limitKeys.rateSubject>, windows: Window[]): Promise<void> {
  const names = Object.fromEntries(windows.flatMap((w, i) => [[`#s${i}`, `${w.name}Start`], [`#h${i}`, `${w.name}Hits`]]));
  const values = Object.fromEntries([[':minusOne', -1], ...windows.map((w, i) => [`:s${i}`, w.start])]);
  try {
    await db().send(
      new UpdateCommand({
        TableName: limitsTableName(),
        Key: key,
        UpdateExpression: `ADD ${windows.map((_, i) => `#h${i} :minusOne`).join(', ')}`,
        ConditionExpression: windows.map((_, i) => `#s${i} = :s${i}`).join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
