/** ISO 8601 weeks (Monday first; week 1 holds the year's first Thursday), the digest's period names. */
export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export const isoWeekPattern = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** The period's first instant (Monday 00:00 UTC) and the next period's; undefined if the week does not exist. */
export function isoWeekRange(period: string): { start: Date; end: Date } | undefined {
  const match = isoWeekPattern.exec(period);
  if (!match) return undefined;
  const year = Number(match[1]);
  const week = Number(match[2]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const start = new Date(jan4);
  start.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() || 7) - 1) + (week - 1) * 7);
  const end = new Date(start);
  end.setUTCDate(start.getUTCDate() + 7);
  if (isoWeek(start) !== period) return undefined;
  return { start, end };
}
