import { InvalidArgumentError } from 'commander';
import { isoWeekPattern } from '#shared/domain/iso-week.ts';

/** Argument parsers for commander: a bad value is a usage error (exit 2) with commander's own message. */
export function wholeNumber(min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('Not a whole number.');
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`Must be between ${min} and ${max}.`);
    return n;
  };
}

export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Must be a positive number of seconds.');
  return n;
}

export function isoWeek(value: string): string {
  if (!isoWeekPattern.test(value)) throw new InvalidArgumentError('Use an ISO week such as 2026-W47.');
  return value;
}
