import { describe, expect, it } from 'vitest';
import { toAwsCron } from '#infra/stack/cron.ts';

describe('toAwsCron: five-field cron to EventBridge Scheduler cron', () => {
  it('adds the year and puts "?" in day-of-week when only the day of month matters', () => {
    expect(toAwsCron('0 9 * * *')).toBe('0 9 * * ? *');
    expect(toAwsCron('30 6 1 * *')).toBe('30 6 1 * ? *');
    expect(toAwsCron('*/15 * * * *')).toBe('*/15 * * * ? *');
    expect(toAwsCron('0 0 L * *')).toBe('0 0 L * ? *');
  });

  it('puts "?" in day-of-month when a day of week is given', () => {
    expect(toAwsCron('0 8 * * MON')).toBe('0 8 ? * MON *');
    expect(toAwsCron('0 8 * * mon-fri')).toBe('0 8 ? * MON-FRI *');
    expect(toAwsCron('0 8 * * SAT,SUN')).toBe('0 8 ? * SAT,SUN *');
  });

  it('shifts numbered days from 0-6 (Sunday first) to AWS 1-7', () => {
    expect(toAwsCron('0 8 * * 0')).toBe('0 8 ? * 1 *');
    expect(toAwsCron('0 8 * * 7')).toBe('0 8 ? * 1 *');
    expect(toAwsCron('0 8 * * 1')).toBe('0 8 ? * 2 *');
    expect(toAwsCron('0 8 * * 6')).toBe('0 8 ? * 7 *');
    expect(toAwsCron('0 8 * * 1-5')).toBe('0 8 ? * 2-6 *');
    expect(toAwsCron('0 8 * * 1,3,5')).toBe('0 8 ? * 2,4,6 *');
    expect(toAwsCron('0 8 * * 5-7')).toBe('0 8 ? * 1,6,7 *');
    expect(toAwsCron('0 8 * * 0-6')).toBe('0 8 ? * 1-7 *');
  });

  it('expands day-of-week steps, which AWS does not accept', () => {
    expect(toAwsCron('0 8 * * */2')).toBe('0 8 ? * 1,3,5,7 *');
    expect(toAwsCron('0 8 * * 1-5/2')).toBe('0 8 ? * 2,4,6 *');
    expect(toAwsCron('0 8 * * MON-FRI/2')).toBe('0 8 ? * 2,4,6 *');
  });

  it('keeps nth-weekday and last-weekday forms, renumbered', () => {
    expect(toAwsCron('0 10 * * 1#1')).toBe('0 10 ? * 2#1 *');
    expect(toAwsCron('0 10 * * FRI#3')).toBe('0 10 ? * FRI#3 *');
    expect(toAwsCron('0 10 * * 5L')).toBe('0 10 ? * 6L *');
  });

  it('passes months through (numbers and names mean the same)', () => {
    expect(toAwsCron('0 0 1 1,7 *')).toBe('0 0 1 1,7 ? *');
    expect(toAwsCron('0 0 1 jan *')).toBe('0 0 1 JAN ? *');
  });

  it('understands the usual macros', () => {
    expect(toAwsCron('@weekly')).toBe('0 0 ? * 1 *');
    expect(toAwsCron('@daily')).toBe('0 0 * * ? *');
    expect(toAwsCron('@hourly')).toBe('0 * * * ? *');
  });

  it('refuses what AWS cannot run as meant', () => {
    // Classic cron fires on the 1st OR on Mondays; AWS has no way to say that.
    expect(() => toAwsCron('0 8 1 * MON')).toThrow(/both day-of-month and day-of-week/);
    expect(() => toAwsCron('0 8 * *')).toThrow(/five-field/);
    expect(() => toAwsCron('0 8 * * * 2030')).toThrow(/five-field/);
    expect(() => toAwsCron('0 8 * * 8')).toThrow(/day.of.week/i);
    expect(() => toAwsCron('0 8 * * FUN')).toThrow(/day.of.week/i);
    expect(() => toAwsCron('0 8 * * 5-2')).toThrow(/backwards/);
  });
});
