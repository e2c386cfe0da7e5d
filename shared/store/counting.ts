import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import type { StoredSignatureSource } from '#shared/domain/signature.ts';
import { bucketOf, hourAttribute } from '#shared/domain/stats.ts';
import {
  maxSourceValues,
  otherSourceValue,
  parseSourceAttribute,
  sourceAttribute,
  sourceDimensions,
  sourceOf,
} from '#shared/domain/signature-source.ts';
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
  /** Signatures only: when it was confirmed, which files it under its day and hour (signatures over time). */
  confirmedAt?: string;
  /** Signatures only: where the signer came from, counted per value. */
  source?: StoredSignatureSource;
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
    const source = sourceOf(item.source);
    return { campaign, key, counter: 'signatures', country: String(item.country), confirmedAt: at, ...(source ? { source } : {}), listing };
  }
  if (item.type === 'endorsement' && item.status === endorsementStatus.approved) return { campaign, key, counter: 'endorsements' };
  return undefined;
}

/** The attributes that file an item in the sparse index of uncounted confirmations (gsi4). */
const uncountedIndexAttributes = 'gsi4pk, gsi4sk';

// DynamoDB allows 100 actions per transaction: the markers, the counter, and at most one day item per UTC day
// the chunk's confirmations fall in (none, almost always: see hoursUpdate).
const actionsPerTransaction = 100;
// An expression string may be at most 4 KB, and the counter's update carries it all: each country adds ~60
// bytes, each source value ~15, the hours ~400 at most. A chunk stops before 40 countries and 60 source values
// (~3.6 KB at worst), whatever mix of countries and sources arrives.
const countriesPerTransaction = 40;
const sourceValuesPerTransaction = 60;
const maxAttempts = 8;

/**
 * Adds confirmations to their campaigns' counters: one counter write per campaign per (≤98) items, the same
 * write adding them to the hours of the day (signatures over time) and to the counts of their sources.
 *
 * Why this is exact: each signature carries a `countedAt` marker, and a signature is counted only in the
 * same transaction that sets its marker under `attribute_not_exists(countedAt)`. A transaction is all or
 * nothing, so a signature is in the counter if and only if its marker is set. Redelivered, bisected or
 * concurrently processed records find the marker already there; their transaction is cancelled, those
 * signatures are dropped from it, and the rest are retried. Nothing else writes the counter's
 * signature fields, so the count can never exceed or fall short of the marked signatures. The hours, the day
 * items and the source counts are written by the same transactions only, so the same holds for them: the hours
 * of a campaign add up to its count of signatures (until a reconciliation corrects the count: reconciliation.ts).
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
    for (const chunk of chunksOf([...group.values()])) {
      if (!(await countChunk(campaign, chunk))) failed.push(...chunk);
    }
  }
  return failed;
}

/**
 * Splits one campaign's confirmations into transactions that fit DynamoDB's limits: at most 100 actions (the
 * markers, the counter, one item per day, the tally) and expressions under 4 KB. In time order, so that a batch
 * that spans midnight touches each day once.
 */
export function chunksOf(confirmations: Confirmation[]): Confirmation[][] {
  const ordered = [...confirmations].sort((a, b) => (a.confirmedAt ?? '').localeCompare(b.confirmedAt ?? ''));
  const chunks: Confirmation[][] = [];
  let chunk: Confirmation[] = [];
  let days = new Set<string>();
  let countries = new Set<string>();
  let values = new Set<string>();
  for (const c of ordered) {
    const day = c.confirmedAt ? bucketOf(c.confirmedAt).day : undefined;
    const nextDays = days.size + (day !== undefined && !days.has(day) ? 1 : 0);
    const nextCountries = countries.size + (c.country !== undefined && !countries.has(c.country) ? 1 : 0);
    const nextValues = values.size + sourceEntries(c.source).filter(([d, v]) => !values.has(sourceAttribute(d, v))).length;
    // This marker, those before it, the counter, an item per day.
    const fits = chunk.length + 1 + 1 + nextDays <= actionsPerTransaction && nextCountries <= countriesPerTransaction && nextValues <= sourceValuesPerTransaction;
    if (!fits && chunk.length > 0) {
      chunks.push(chunk);
      [chunk, days, countries, values] = [[], new Set(), new Set(), new Set()];
    }
    chunk.push(c);
    if (day !== undefined) days.add(day);
    if (c.country !== undefined) countries.add(c.country);
    for (const [d, v] of sourceEntries(c.source)) values.add(sourceAttribute(d, v));
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function sourceEntries(source: StoredSignatureSource | undefined): [(typeof sourceDimensions)[number], string][] {
  if (!source) return [];
  return sourceDimensions.flatMap((d) => (source[d] ? [[d, source[d]] as [(typeof sourceDimensions)[number], string]] : []));
}

async function countChunk(campaign: string, chunk: Confirmation[]): Promise<boolean> {
  let pending = chunk;
  for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: await transactionFor(campaign, pending) }));
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
      // Conflicts with a concurrent batch on the same counter, a tally that gained values since it was read, or
      // throttling: back off and try again (the transaction is built afresh, reading the tally again).
      await sleep(Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
  return pending.length === 0;
}

async function transactionFor(campaign: string, confirmations: Confirmation[]) {
  const at = nowIso();
  // Read first: the hours the counter holds (and of which day) and the source values it keeps decide what the
  // update says; the update's conditions hold it to what was read. Endorsements alone need neither.
  const needsRead = confirmations.some((c) => c.confirmedAt !== undefined || c.source !== undefined);
  const stored = needsRead ? ((await db().send(new GetCommand({ TableName: tableName(), Key: keys.counter(campaign), ConsistentRead: true }))).Item ?? {}) : {};
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
  const update = new CounterUpdate();
  update.adds.push('signatures :s', 'endorsements :e');
  Object.assign(update.values, { ':s': signatures, ':e': endorsements });
  if (perCountry.size > 0) update.values[':zero'] = 0;
  [...perCountry].forEach(([country, n], i) => {
    update.names[`#c${i}`] = country;
    update.values[`:c${i}`] = n;
    update.sets.push(`byCountry.#c${i} = if_not_exists(byCountry.#c${i}, :zero) + :c${i}`);
  });
  update.conditions.push('attribute_exists(pk)');
  const days = hoursUpdate(update, stored, confirmations);
  sourcesUpdate(update, stored, confirmations);
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
    { Update: { TableName: tableName(), Key: keys.counter(campaign), ...update.expressions() } },
    ...dayItemUpdates(campaign, days),
  ];
}

/** An update expression built piece by piece, with generated placeholders. */
class CounterUpdate {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  readonly adds: string[] = [];
  readonly sets: string[] = [];
  readonly removes: string[] = [];
  readonly conditions: string[] = [];
  private next = 0;

  name(attribute: string): string {
    const placeholder = `#n${this.next++}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  value(value: unknown): string {
    const placeholder = `:v${this.next++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  add(attribute: string, n: number): void {
    this.adds.push(`${this.name(attribute)} ${this.value(n)}`);
  }

  expressions() {
    const clauses = [
      this.adds.length ? `ADD ${this.adds.join(', ')}` : '',
      this.sets.length ? `SET ${this.sets.join(', ')}` : '',
      this.removes.length ? `REMOVE ${this.removes.join(', ')}` : '',
    ];
    return {
      UpdateExpression: clauses.filter(Boolean).join(' '),
      ConditionExpression: this.conditions.join(' AND '),
      ...(Object.keys(this.names).length ? { ExpressionAttributeNames: this.names } : {}),
      ExpressionAttributeValues: this.values,
    };
  }
}

type HourCounts = Map<number, number>;

/**
 * Signatures over time, at no write beyond the counter's: the counter keeps the hours of one day (`hoursDay`,
 * `h00`…`h23`), the newest it has counted. A chunk of that day adds to them. A chunk of a later day moves them
 * to that day's item and starts the new day's hours, on condition that neither the day nor the signature
 * count changed since they were read (so no hour added meanwhile is left behind). A late confirmation of an
 * earlier day (stream lag, the uncounted sweep) adds to that day's item. So a campaign's items are the counter
 * each batch, and one day item per day; the hours of the counter and the items add up to its count.
 *
 * Returns the additions for day items, by day.
 */
function hoursUpdate(update: CounterUpdate, stored: Record<string, unknown>, confirmations: Confirmation[]): Map<string, HourCounts> {
  const perDay = new Map<string, HourCounts>();
  for (const c of confirmations) {
    if (c.counter !== 'signatures' || !c.confirmedAt) continue;
    const { day, hour } = bucketOf(c.confirmedAt);
    const hours = perDay.get(day) ?? new Map<number, number>();
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
    perDay.set(day, hours);
  }
  const dayItems = new Map<string, HourCounts>();
  if (perDay.size === 0) return dayItems;
  const current = typeof stored.hoursDay === 'string' ? stored.hoursDay : undefined;
  const newest = [...perDay.keys()].reduce((a, b) => (a > b ? a : b));
  const counterDay = current !== undefined && current >= newest ? current : newest;
  for (const [day, hours] of perDay) if (day !== counterDay) dayItems.set(day, hours);
  const hoursDay = update.name('hoursDay');
  if (counterDay === current) {
    update.conditions.push(`${hoursDay} = ${update.value(current)}`);
    for (const [hour, n] of perDay.get(counterDay) ?? []) update.add(hourAttribute(hour), n);
    return dayItems;
  }
  // A new day: what the counter holds moves to its day's item, in the same transaction.
  if (current === undefined) {
    update.conditions.push(`attribute_not_exists(${hoursDay})`);
  } else {
    update.conditions.push(`${hoursDay} = ${update.value(current)}`, `${update.name('signatures')} = ${update.value(typeof stored.signatures === 'number' ? stored.signatures : 0)}`);
    const moved = dayItems.get(current) ?? new Map<number, number>();
    for (let hour = 0; hour < 24; hour++) {
      const n = stored[hourAttribute(hour)];
      if (typeof n === 'number' && n > 0) moved.set(hour, (moved.get(hour) ?? 0) + n);
    }
    if (moved.size > 0) dayItems.set(current, moved);
  }
  update.sets.push(`${hoursDay} = ${update.value(counterDay)}`);
  const fresh = perDay.get(counterDay) ?? new Map<number, number>();
  for (let hour = 0; hour < 24; hour++) {
    const n = fresh.get(hour);
    if (n !== undefined) update.sets.push(`${hourAttribute(hour)} = ${update.value(n)}`);
    else if (hourAttribute(hour) in stored) update.removes.push(hourAttribute(hour));
  }
  return dayItems;
}

/** One update per earlier day with additions: an ADD per hour attribute, creating the item if new. */
function dayItemUpdates(campaign: string, days: Map<string, HourCounts>) {
  return [...days].map(([day, hours]) => {
    const values: Record<string, number | string> = { ':campaign': campaign, ':day': day, ':type': 'stats-day' };
    const adds = [...hours].map(([hour, n]) => {
      values[`:${hourAttribute(hour)}`] = n;
      return `${hourAttribute(hour)} :${hourAttribute(hour)}`;
    });
    return {
      Update: {
        TableName: tableName(),
        Key: keys.statsDay(campaign, day),
        UpdateExpression: `ADD ${adds.join(', ')} SET campaign = :campaign, #day = :day, #type = :type`,
        ExpressionAttributeNames: { '#day': 'day', '#type': 'type' },
        ExpressionAttributeValues: values,
      },
    };
  });
}

/**
 * Source values, counted on the counter as flat attributes (`utm_source=news`), bounded: a value already
 * there is added to; a new value is added while the campaign has fewer than `maxSourceValues`, and counted as
 * `other` (of its field) after that, so no stream of crafted sources can grow the counter towards DynamoDB's
 * 400 KB (200 values of at most ~230 bytes: under 50 KB). `sourceValues` counts them and is the condition, so
 * two batches cannot both take the last free places (the loser is built again from a fresh read).
 */
function sourcesUpdate(update: CounterUpdate, stored: Record<string, unknown>, confirmations: Confirmation[]): void {
  const perValue = new Map<string, number>();
  for (const c of confirmations) {
    for (const [d, v] of sourceEntries(c.source)) perValue.set(sourceAttribute(d, v), (perValue.get(sourceAttribute(d, v)) ?? 0) + 1);
  }
  if (perValue.size === 0) return;
  const seen = typeof stored.sourceValues === 'number' ? stored.sourceValues : 0;
  const additions = new Map<string, number>();
  let fresh = 0;
  for (const [name, n] of perValue) {
    const parsed = parseSourceAttribute(name);
    if (!parsed) continue;
    let target = name;
    if (!Object.hasOwn(stored, name)) {
      if (seen + fresh < maxSourceValues) fresh++;
      else target = sourceAttribute(parsed.dimension, otherSourceValue);
    }
    additions.set(target, (additions.get(target) ?? 0) + n);
  }
  for (const [name, n] of additions) update.add(name, n);
  if (fresh === 0) return;
  const values = update.name('sourceValues');
  update.adds.push(`${values} ${update.value(fresh)}`);
  update.conditions.push(seen === 0 ? `attribute_not_exists(${values})` : `${values} = ${update.value(seen)}`);
}

const transient = new Set(['TransactionConflictException', 'ThrottlingException', 'ProvisionedThroughputExceededException']);

/** A cancellation's reasons; a transient failure is one with no reasons (retry it all); anything else undefined. */
function retryReasons(error: unknown): CancellationReason[] | undefined {
  if (error instanceof Error && transient.has(error.name)) return [];
  return cancellationReasons(error);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
