import { describe, expect, it } from 'vitest';
import { bucketOf, daysToRead, hourAttribute, hoursOf, hourSeriesHours, maxSeriesDays, seriesOf } from '#shared/domain/stats.ts';

const hours = (entries: Record<number, number>) => Array.from({ length: 24 }, (_, h) => entries[h] ?? 0);

describe('signature buckets', () => {
  it('files a confirmation under its UTC day and hour, whatever offset the time was written with', () => {
    expect(bucketOf('2036-03-01T23:59:59.999Z')).toEqual({ day: '2036-03-01', hour: 23 });
    expect(bucketOf('2036-03-02T00:00:00.000Z')).toEqual({ day: '2036-03-02', hour: 0 });
    expect(bucketOf('2036-03-02T01:30:00+03:00')).toEqual({ day: '2036-03-01', hour: 22 });
    expect(() => bucketOf('yesterday')).toThrow(RangeError);
  });

  it('names hour attributes h00 to h23 and reads them back, absent hours as zero', () => {
    expect([0, 9, 23].map(hourAttribute)).toEqual(['h00', 'h09', 'h23']);
    expect(hoursOf({ h00: 2, h13: 5, h23: 1, day: '2036-03-01' })).toEqual(hours({ 0: 2, 13: 5, 23: 1 }));
  });

  it('gives the hours of the last 7 days, oldest first, ending with the current hour, zero where none', () => {
    const now = new Date('2036-03-08T10:17:00Z');
    const series = seriesOf([{ day: '2036-03-08', hours: hours({ 10: 4, 9: 2 }) }, { day: '2036-03-01', hours: hours({ 11: 7, 10: 99 }) }], 'hour', now, '2036-01-01T00:00:00Z');
    expect(series).toHaveLength(hourSeriesHours);
    expect(series[0]).toEqual({ at: '2036-03-01T11:00:00.000Z', signatures: 7 });
    expect(series.at(-1)).toEqual({ at: '2036-03-08T10:00:00.000Z', signatures: 4 });
    expect(series.at(-2)).toEqual({ at: '2036-03-08T09:00:00.000Z', signatures: 2 });
    // 10:00 on the 1st is more than 7 days ago: not in the series.
    expect(series.reduce((sum, p) => sum + p.signatures, 0)).toBe(13);
    expect(new Set(series.map((p) => p.at)).size).toBe(hourSeriesHours);
  });

  it('reads the days the hour series needs: from 7 days back to today', () => {
    expect(daysToRead('hour', new Date('2036-03-08T10:17:00Z'), '2036-01-01T00:00:00Z')).toEqual({ from: '2036-03-01', to: '2036-03-08' });
    expect(daysToRead('day', new Date('2036-03-08T10:17:00Z'), '2036-03-05T12:00:00Z')).toEqual({ from: '2036-03-05', to: '2036-03-08' });
  });

  it('gives every day from the campaign start to today, summing the hours, zero-filled', () => {
    const now = new Date('2036-03-05T08:00:00Z');
    const series = seriesOf([{ day: '2036-03-02', hours: hours({ 1: 3, 22: 2 }) }, { day: '2036-03-05', hours: hours({ 7: 1 }) }], 'day', now, '2036-03-01T15:00:00Z');
    expect(series).toEqual([
      { at: '2036-03-01T00:00:00.000Z', signatures: 0 },
      { at: '2036-03-02T00:00:00.000Z', signatures: 5 },
      { at: '2036-03-03T00:00:00.000Z', signatures: 0 },
      { at: '2036-03-04T00:00:00.000Z', signatures: 0 },
      { at: '2036-03-05T00:00:00.000Z', signatures: 1 },
    ]);
  });

  it('starts the day series at the first counted day when that is before the campaign opened (loaded or back-dated campaigns)', () => {
    const series = seriesOf([{ day: '2036-02-27', hours: hours({ 5: 1 }) }], 'day', new Date('2036-03-01T00:00:00Z'), '2036-02-28T00:00:00Z');
    expect(series.map((p) => p.at.slice(0, 10))).toEqual(['2036-02-27', '2036-02-28', '2036-02-29', '2036-03-01']);
  });

  it('keeps the day series bounded for a campaign started years ago, and a campaign from the future to today', () => {
    expect(seriesOf([], 'day', new Date('2036-03-01T00:00:00Z'), '2020-01-01T00:00:00Z')).toHaveLength(maxSeriesDays);
    expect(seriesOf([], 'day', new Date('2036-03-01T00:00:00Z'), '2036-04-01T00:00:00Z')).toEqual([{ at: '2036-03-01T00:00:00.000Z', signatures: 0 }]);
  });

  it('refuses a time that is not one, naming it', () => {
    expect(() => bucketOf('yesterday')).toThrow(RangeError);
    expect(() => bucketOf('yesterday')).toThrow('yesterday');
  });

  it('reads from the day of the oldest hour shown, also just after midnight', () => {
    // 167 hours before 00:00 on the 8th is 01:00 on the 1st: the 29th of February holds none of the hours shown.
    expect(daysToRead('hour', new Date('2036-03-08T00:30:00Z'), '2036-01-01T00:00:00Z')).toEqual({ from: '2036-03-01', to: '2036-03-08' });
  });

  it('starts the day series at the earliest counted day, whatever order the days come in', () => {
    const days = ['2036-02-27', '2036-02-25', '2036-02-26'].map((day) => ({ day, hours: hours({ 3: 1 }) }));
    const series = seriesOf(days, 'day', new Date('2036-03-01T00:00:00Z'), '2036-02-28T00:00:00Z');
    expect(series[0]).toEqual({ at: '2036-02-25T00:00:00.000Z', signatures: 1 });
    expect(series).toHaveLength(6);
  });
});

