import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { now } from '#shared/clock.ts';
import { db, isConditionFailure, limitsTableName } from './table.ts';
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

interface Window extends RateWindow {
  start: number;
  share: number;
}

type Stored = Record<string, unknown> | undefined;

/**
 * A subject's fixed windows (per IP: burst and sustained) in ONE item of the limits table (no stream: a counter
 * moving is nobody else's business), admitted by ONE conditional UpdateItem that counts every window at once,
 * and only while every window is under its limit. A refused request fails the condition and writes nothing; the
 * item expires a minute after its longest window. A busy subject (a viral campaign) spreads its windows over
 * `shards` items, each allowed its share of every limit, so the limiter is never the hot row it protects
 * against.
 *
 * The first write assumes the windows stored are the current ones (or that there is no item yet): one round
 * trip for every admission but the first after a window rolls over, which rewrites that window from the item the
 * failed condition returned, on the condition that nobody rewrote it meanwhile.
 */
export async function admit(scope: string, subject: string, rateWindows: RateWindow[], shards = 1): Promise<Admission> {
  const nowSeconds = Math.floor(now().getTime() / 1000);
  const windows: Window[] = rateWindows.map((w) => ({ ...w, start: nowSeconds - (nowSeconds % w.seconds), share: Math.ceil(w.limit / shards) }));
  const retryAfter = (full: Window[]) => ({ allowed: false as const, retryAfterSeconds: Math.max(...full.map((w) => w.start + w.seconds - nowSeconds)) });
  // A rule that allows nothing refuses without a write.
  const closed = windows.filter((w) => w.share < 1);
  if (closed.length) return retryAfter(closed);
  // An unsharded subject (shards = 1) always draws shard 0.
  const key = limitKeys.rateSubject(scope, subject, Math.floor(Math.random() * shards));
  const expiresAt = Math.max(...windows.map((w) => w.start + w.seconds)) + 60;

  let stored: Stored;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const item = stored;
    const full = item ? windows.filter((w) => item[`${w.name}Start`] === w.start && Number(item[`${w.name}Hits`]) >= w.share) : [];
    if (full.length) return retryAfter(full);
    try {
      await db().send(new UpdateCommand({ TableName: limitsTableName(), Key: key, ...admission(windows, stored, expiresAt), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      return { allowed: true, release: () => release(key, windows) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The failed condition returns the item as it is, in DynamoDB's own types (the document client leaves errors alone).
      const item = (error as { Item?: Record<string, AttributeValue> }).Item;
      stored = item ? unmarshall(item) : {};
    }
  }
  throw new Error(`The limit of ${scope} stayed contended for ${attempts} attempts`);
}

/**
 * The update that counts one admission in every window. Without a stored item to go by: the windows are
 * assumed current (or the item new). With one: a window it holds for the current period is counted on, one it
 * holds for an older period (or not at all) starts again at 1, on the condition that it is still so.
 */
function admission(windows: Window[], stored: Stored, expiresAt: number) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':one': 1, ':expires': expiresAt };
  const sets = ['expiresAt = :expires'];
  const conditions: string[] = [];
  windows.forEach((w, i) => {
    Object.assign(names, { [`#s${i}`]: `${w.name}Start`, [`#h${i}`]: `${w.name}Hits` });
    values[`:s${i}`] = w.start;
    const storedStart = stored?.[`${w.name}Start`];
    if (!stored || storedStart === w.start) {
      Object.assign(values, { [`:l${i}`]: w.share, ':zero': 0 });
      sets.push(`#s${i} = :s${i}`, `#h${i} = if_not_exists(#h${i}, :zero) + :one`);
      conditions.push(`#s${i} = :s${i} AND #h${i} < :l${i}`);
    } else {
      sets.push(`#s${i} = :s${i}`, `#h${i} = :one`);
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
