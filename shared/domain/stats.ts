/**
 * Signatures over time, as pure bucket maths. Counting files each confirmation under its UTC day and hour (one
 * item per campaign per day, an attribute per hour: shared/store/counting.ts); reading turns the days into a
 * series with every bucket present, so a chart never has to guess what a missing bucket means.
 */

export type StatsInterval = 'hour' | 'day';

export interface SeriesPoint {
  /** The bucket's start, ISO 8601 UTC. */
  at: string;
  signatures: number;
}

/** One stored day: its date (`YYYY-MM-DD`) and the signatures of each of its 24 hours (index = UTC hour). */
export interface DayTally {
  day: string;
  hours: number[];
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** The hour series covers the last 7 days: 168 points, ending with the current hour. */
export const hourSeriesHours = 7 * 24;

/** The day series stops at this many days (about 5 years) whatever the first signature: a bounded answer. */
export const maxSeriesDays = 2000;

/** Where a confirmation time falls: its UTC day (`YYYY-MM-DD`) and hour (0–23). */
export function bucketOf(iso: string): { day: string; hour: number } {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new RangeError(`Not a time: ${iso}`);
  return { day: at.toISOString().slice(0, 10), hour: at.getUTCHours() };
}

/** The attribute a day item keeps an hour's count in: `h00` … `h23` (sortable, and never a reserved word). */
export function hourAttribute(hour: number): string {
  return `h${String(hour).padStart(2, '0')}`;
}

/** The days a series of `interval` ending at `now` reads: from the first day it shows to today. */
export function daysToRead(interval: StatsInterval, now: Date, since: string): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  if (interval === 'hour') return { from: new Date(startOfHour(now).getTime() - (hourSeriesHours - 1) * hourMs).toISOString().slice(0, 10), to };
  return { from: earliestDay(since, now), to };
}

/**
 * The series with every bucket from its start to the bucket holding `now`, oldest first, zero where nothing
 * was counted. Hours: the last 7 days. Days: from `since` (the campaign's creation, or its first counted day if
 * earlier) to today, at most `maxSeriesDays`.
 */
export function seriesOf(days: readonly DayTally[], interval: StatsInterval, now: Date, since: string): SeriesPoint[] {
  const byDay = new Map(days.map((d) => [d.day, d.hours]));
  if (interval === 'hour') {
    const last = startOfHour(now).getTime();
    return Array.from({ length: hourSeriesHours }, (_, i) => {
      const at = new Date(last - (hourSeriesHours - 1 - i) * hourMs);
      const { day, hour } = bucketOf(at.toISOString());
      return { at: at.toISOString(), signatures: byDay.get(day)?.[hour] ?? 0 };
    });
  }
  const firstCounted = days.reduce<string | undefined>((first, d) => (first === undefined || d.day < first ? d.day : first), undefined);
  const start = Date.parse(`${earliestDay(firstCounted !== undefined && firstCounted < since.slice(0, 10) ? firstCounted : since, now)}T00:00:00.000Z`);
  const end = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`);
  const points: SeriesPoint[] = [];
  for (let t = start; t <= end; t += dayMs) {
    const at = new Date(t).toISOString();
    points.push({ at, signatures: sum(byDay.get(at.slice(0, 10)) ?? []) });
  }
  return points;
}

/** A day item's hours back as 24 numbers (absent hours are zero). */
export function hoursOf(item: Record<string, unknown>): number[] {
  return Array.from({ length: 24 }, (_, hour) => {
    const value = item[hourAttribute(hour)];
    return typeof value === 'number' ? value : 0;
  });
}

function earliestDay(since: string, now: Date): string {
  const today = now.toISOString().slice(0, 10);
  const first = Number.isNaN(Date.parse(since)) ? today : new Date(since).toISOString().slice(0, 10);
  const floor = new Date(Date.parse(`${today}T00:00:00.000Z`) - (maxSeriesDays - 1) * dayMs).toISOString().slice(0, 10);
  if (first > today) return today;
  return first < floor ? floor : first;
}

function startOfHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / hourMs) * hourMs);
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
