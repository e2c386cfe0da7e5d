import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import type { Counts } from '#shared/domain/campaign.ts';
import { conflict, notFound } from '#shared/domain/errors.ts';
import { newId } from '#shared/ids.ts';
import type { Page } from './pagination.ts';
import { allPages, queryPage } from './query-pages.ts';
import { cancellationReasons, db, isConditionFailure, keys, tableName } from './table.ts';
import { offsetChangePrefix, partnerCountPrefix } from './layout.ts';
import { counterCodec, offsetChangeCodec, type CounterItem } from './items.ts';

function toCounts(item: CounterItem, goal: number | undefined): Counts {
  const { signatures, offset, endorsements } = item;
  return { signatures, offset, total: signatures + offset, endorsements, goal: goal ?? null, byCountry: withPartners(item) };
}

/** Confirmed signatures per country plus the partners' breakdowns: what the campaign counts in each country. */
export function withPartners(item: CounterItem): Record<string, number> {
  const merged = { ...item.byCountry };
  for (const [country, n] of Object.entries(item.partnerByCountry)) merged[country] = (merged[country] ?? 0) + n;
  return merged;
}

export async function getCounts(slug: string, goal: number | undefined): Promise<Counts> {
  return toCounts(await getCounter(slug), goal);
}

/** The counter as stored (eventually consistent): counts, partners and their breakdowns. */
export async function getCounter(slug: string, consistent = false): Promise<CounterItem> {
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: keys.counter(slug), ConsistentRead: consistent }));
  if (!result.Item) throw notFound(`There is no campaign "${slug}".`);
  return counterCodec.decode(result.Item);
}

export interface OffsetChange {
  offset: number;
  reason: string;
}

/** The partner `PUT …/offset` sets: the campaign's own offline count, from before partners had counts of their own. */
export const defaultPartner = 'default';

/** Partners per campaign: their ids and counts live on the counter item, which every counts read fetches. */
export const maxPartners = 100;

/** The campaign's own offset (the partner `default`), as `PUT …/offset` always set it. */
export function setOffset(slug: string, change: OffsetChange, operatorId: string, goal: number | undefined): Promise<Counts> {
  return setPartnerCount(slug, defaultPartner, { count: change.offset, reason: change.reason }, operatorId, goal);
}

export interface PartnerCountChange {
  count: number;
  /** The partner's breakdown per country (its sum at most `count`); absent: none (a repeat replaces it). */
  byCountry?: Record<string, number> | undefined;
  reason: string;
}

const maxOffsetAttempts = 6;

/**
 * Sets one partner's absolute count (PoliCAT's model: a partner reports its total, a repeat replaces it). The
 * counter keeps the sum (`offset`), each partner's count and the sum of their breakdowns; the partner's item
 * keeps its own breakdown (to take it out again when replaced); the audit trail gets who, when, previous and
 * new. All three in one transaction conditioned on the counter's `offsetVersion` as read: a change made
 * meanwhile by another operator (to any partner) cancels it, and it is made again from a fresh read, so no
 * change is lost and every audit entry's `previous` is what the change replaced. After repeated cancellations
 * (a storm of edits) the operator is told to retry (409).
 */
export async function setPartnerCount(slug: string, partner: string, change: PartnerCountChange, operatorId: string, goal: number | undefined): Promise<Counts> {
  for (let attempt = 1; attempt <= maxOffsetAttempts; attempt++) {
    const counter = await getCounter(slug, true);
    const stored = await db().send(new GetCommand({ TableName: tableName(), Key: keys.partnerCount(slug, partner), ConsistentRead: true }));
    // Before partners, the whole offset was the campaign's own: what the partners do not account for is the
    // default partner's (with no breakdown) until the default partner is set.
    const unattributed = defaultPartner in counter.partners ? 0 : Math.max(0, counter.offset - Object.values(counter.partners).reduce((a, b) => a + b, 0));
    const previous = counter.partners[partner] ?? (partner === defaultPartner ? unattributed : 0);
    const previousByCountry = numberMap(stored.Item?.byCountry);
    const known = Object.keys(counter.partners).length + (unattributed > 0 ? 1 : 0);
    if (!(partner in counter.partners) && known >= maxPartners) {
      throw conflict('too-many-partners', `A campaign has at most ${maxPartners} partners with counts of their own.`);
    }
    const byCountry = change.byCountry ?? {};
    const sums = new Map(Object.entries(counter.partnerByCountry));
    for (const [country, n] of Object.entries(previousByCountry)) sums.set(country, (sums.get(country) ?? 0) - n);
    for (const [country, n] of Object.entries(byCountry)) sums.set(country, (sums.get(country) ?? 0) + n);
    const partnerByCountry = Object.fromEntries([...sums].filter(([, n]) => n > 0));
    const partners = { ...counter.partners, [partner]: change.count };
    if (partner !== defaultPartner && unattributed > 0) partners[defaultPartner] = unattributed;
    const offset = Object.values(partners).reduce((a, b) => a + b, 0);
    const at = nowIso();
    try {
      await db().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: keys.counter(slug),
                UpdateExpression: 'SET #offset = :offset, partners = :partners, partnerByCountry = :byCountry, offsetVersion = :next',
                ConditionExpression: counter.offsetVersion === 0 ? 'attribute_exists(pk) AND attribute_not_exists(offsetVersion)' : 'offsetVersion = :version',
                ExpressionAttributeNames: { '#offset': 'offset' },
                ExpressionAttributeValues: {
                  ':offset': offset,
                  ':partners': partners,
                  ':byCountry': partnerByCountry,
                  ':next': counter.offsetVersion + 1,
                  ...(counter.offsetVersion === 0 ? {} : { ':version': counter.offsetVersion }),
                },
              },
            },
            {
              Put: {
                TableName: tableName(),
                Item: { ...keys.partnerCount(slug, partner), type: 'partner-count', campaign: slug, partner, count: change.count, byCountry, at, by: operatorId },
              },
            },
            {
              Put: {
                TableName: tableName(),
                Item: {
                  ...keys.offsetChange(slug, at, newId()),
                  type: 'offset-change',
                  campaign: slug,
                  at,
                  by: operatorId,
                  partner,
                  previous,
                  offset: change.count,
                  ...(change.byCountry ? { byCountry } : {}),
                  reason: change.reason,
                },
              },
            },
          ],
        }),
      );
      return getCounts(slug, goal);
    } catch (error) {
      const conflicted = cancellationReasons(error) !== undefined || (error instanceof Error && error.name === 'TransactionConflictException');
      if (!conflicted) throw error;
      await sleep(Math.min(500, 20 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
  throw conflict('concurrent-change', 'The offsets changed meanwhile, again and again; read them again and retry.');
}

export interface PartnerCount {
  partner: string;
  count: number;
  byCountry: Record<string, number>;
  at?: string;
  by?: string;
}

/** Every partner's current count, largest first: the counter's sums, each partner's item for its breakdown. */
export async function listPartnerCounts(slug: string): Promise<PartnerCount[]> {
  const counter = await getCounter(slug, true);
  const items = new Map<string, Record<string, unknown>>();
  for await (const page of allPages({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.counter(slug).pk, ':prefix': partnerCountPrefix },
    ConsistentRead: true,
  })) {
    for (const item of page.Items ?? []) items.set(String(item.partner), item);
  }
  const counts = { ...counter.partners };
  // An offset set before partners had counts of their own is the default partner's.
  const unattributed = counter.offset - Object.values(counts).reduce((a, b) => a + b, 0);
  if (!(defaultPartner in counts) && unattributed > 0) counts[defaultPartner] = unattributed;
  return Object.entries(counts)
    .map(([partner, count]) => {
      const item = items.get(partner);
      return {
        partner,
        count,
        byCountry: numberMap(item?.byCountry),
        ...(typeof item?.at === 'string' ? { at: item.at } : {}),
        ...(typeof item?.by === 'string' ? { by: item.by } : {}),
      };
    })
    .sort((a, b) => b.count - a.count || a.partner.localeCompare(b.partner));
}

function numberMap(value: unknown): Record<string, number> {
  const map = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(map).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface OffsetAudit {
  at: string;
  by: string;
  partner?: string;
  previous: number;
  offset: number;
  reason: string;
}

export function listOffsetChanges(slug: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<OffsetAudit>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.counter(slug).pk, ':prefix': offsetChangePrefix },
      ScanIndexForward: false,
    },
    {
      scope: `offsets:${slug}`,
      limit: page.limit,
      cursor: page.cursor,
      keyAttributes: ['pk', 'sk'],
      map: offsetChangeCodec.decode,
    },
  );
}

/**
 * Claims a milestone on the counter, once: the claim is a conditional add to the counter's `milestones`
 * set. Returns false when it was already claimed (by a redelivery or a concurrent batch).
 */
export async function claimMilestone(slug: string, threshold: number): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.counter(slug),
        UpdateExpression: 'ADD milestones :set',
        ConditionExpression: 'attribute_exists(pk) AND NOT contains(milestones, :threshold)',
        ExpressionAttributeValues: { ':set': new Set([threshold]), ':threshold': threshold },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
