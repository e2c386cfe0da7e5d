import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { notFound } from '#shared/domain/errors.ts';
import { now } from '#shared/clock.ts';
import type { Campaign } from '#shared/domain/campaign.ts';
import { parseSourceAttribute, sourceDimensions, type SourceDimension } from '#shared/domain/signature-source.ts';
import { daysToRead, hoursOf, seriesOf, type DayTally, type SeriesPoint, type StatsInterval } from '#shared/domain/stats.ts';
import { withPartners } from './counter-store.ts';
import { counterCodec } from './items.ts';
import { statsDayPrefix } from './layout.ts';
import { allPages } from './query-pages.ts';
import { db, keys, tableName } from './table.ts';

export interface CampaignStats {
  interval: StatsInterval;
  series: SeriesPoint[];
  byCountry: Record<string, number>;
}

export type SourceCounts = Record<SourceDimension, Record<string, number>>;

/**
 * A campaign's signatures over time: the hours of its newest day on the counter, earlier days in day items
 * (counting.ts `hoursUpdate`): the counter and at most 8 day items for the hour series, one item per day for
 * the day series (~300 bytes each, so even years of days are one or two query pages). Per country from the
 * counter, partners included. Eventually consistent reads, as for the counts.
 */
export async function getStats(campaign: Campaign, interval: StatsInterval, at: Date = now()): Promise<CampaignStats> {
  const since = campaign.publishedAt ?? campaign.opensAt ?? campaign.createdAt;
  const { from, to } = daysToRead(interval, at, since);
  const [stored, days] = await Promise.all([readCounterItem(campaign.slug), readDays(campaign.slug, interval === 'day' ? '' : from, to)]);
  // The counter's day and a day item of the same day hold different confirmations (late ones in the item): both count.
  if (typeof stored.hoursDay === 'string') days.push({ day: stored.hoursDay, hours: hoursOf(stored) });
  return { interval, series: seriesOf(merged(days), interval, at, since), byCountry: withPartners(counterCodec.decode(stored)) };
}

async function readCounterItem(slug: string): Promise<Record<string, unknown>> {
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: keys.counter(slug) }));
  if (!result.Item) throw notFound(`There is no campaign "${slug}".`);
  return result.Item;
}

function merged(days: DayTally[]): DayTally[] {
  const byDay = new Map<string, number[]>();
  for (const { day, hours } of days) {
    const sum = byDay.get(day) ?? Array.from({ length: 24 }, () => 0);
    hours.forEach((n, hour) => (sum[hour] = (sum[hour] ?? 0) + n));
    byDay.set(day, sum);
  }
  return [...byDay].map(([day, hours]) => ({ day, hours }));
}

/** The stored days from `from` (inclusive; '' for the first) to `to`, oldest first. */
async function readDays(slug: string, from: string, to: string): Promise<DayTally[]> {
  const days: DayTally[] = [];
  const pages = allPages({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.counter(slug).pk, ':from': `${statsDayPrefix}${from}`, ':to': `${statsDayPrefix}${to}` },
  });
  for await (const page of pages) {
    for (const item of page.Items ?? []) days.push({ day: String(item.sk).slice(statsDayPrefix.length), hours: hoursOf(item) });
  }
  return days;
}

/** Confirmed signatures per value of each source field (counting.ts keeps them on the counter, bounded). */
export async function getSourceCounts(slug: string): Promise<SourceCounts> {
  const counts = Object.fromEntries(sourceDimensions.map((d) => [d, {}])) as SourceCounts;
  for (const [name, value] of Object.entries(await readCounterItem(slug))) {
    const parsed = parseSourceAttribute(name);
    if (parsed && typeof value === 'number') counts[parsed.dimension][parsed.value] = value;
  }
  return counts;
}
