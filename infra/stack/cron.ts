/**
 * The manifest writes schedules as ordinary five-field cron (what croner runs locally); EventBridge
 * Scheduler wants its own six-field dialect. The two differ in three ways that matter:
 * - a year field comes last;
 * - exactly one of day-of-month and day-of-week must be `?` (AWS cannot say "the 1st or any Monday");
 * - numbered days run 1-7 from Sunday, not 0-6 (7 also being Sunday in most crons).
 */

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** `0 9 * * MON` → `0 9 ? * MON *`; throws on anything EventBridge Scheduler could not run as meant. */
export function toAwsCron(cron: string): string {
  const trimmed = cron.trim();
  const expanded = macros[trimmed.toLowerCase()] ?? trimmed;
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(`Expected a five-field cron (minute hour day-of-month month day-of-week), got "${cron}"`);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];

  const domSet = dayOfMonth !== '*' && dayOfMonth !== '?';
  const dowSet = dayOfWeek !== '*' && dayOfWeek !== '?';
  if (domSet && dowSet) {
    throw new Error(
      `"${cron}" restricts both day-of-month and day-of-week; AWS cron cannot express that (one of them must be "?")`,
    );
  }
  const dom = dowSet ? '?' : dayOfMonth === '?' ? '*' : dayOfMonth;
  const dow = dowSet ? awsDaysOfWeek(dayOfWeek, cron) : '?';
  return [minute, hour, dom, month.toUpperCase(), dow, '*'].join(' ');
}

/** Cron day-of-week (0-7, names, lists, ranges, steps, `#` and `L`) → AWS day-of-week (1-7 or names). */
function awsDaysOfWeek(field: string, cron: string): string {
  const parts: string[] = [];
  const numericDays = new Set<number>();
  for (const raw of field.toUpperCase().split(',')) {
    const nth = /^([0-7]|[A-Z]{3})(#[1-5]|L)$/.exec(raw);
    if (nth?.[1] && nth[2]) {
      parts.push(`${awsDay(nth[1], cron)}${nth[2]}`);
    } else if (/^[A-Z]{3}(-[A-Z]{3})?$/.test(raw)) {
      for (const name of raw.split('-')) dayNumber(name, cron);
      parts.push(raw); // names mean the same on both sides
    } else {
      for (const day of expandDays(raw, cron)) numericDays.add(day);
    }
  }
  return [...compress([...numericDays].sort((a, b) => a - b).map((day) => day + 1)), ...parts].join(',');
}

function awsDay(value: string, cron: string): string {
  const day = dayNumber(value, cron);
  return /^\d$/.test(value) ? String(day + 1) : value;
}

/** Day 0-6 from Sunday, for a number 0-7 or a three-letter name. */
function dayNumber(value: string, cron: string): number {
  const named = dayNames.indexOf(value);
  if (named >= 0) return named;
  const n = Number(value);
  if (!/^\d$/.test(value) || n > 7) throw new Error(`Invalid day of week "${value}" in "${cron}"`);
  return n % 7;
}

/** `*`, `N`, `A-B`, `*\/S`, `A-B/S`, `N/S` (names allowed as bounds) → days 0-6. */
function expandDays(part: string, cron: string): number[] {
  const match = /^(\*|[0-7A-Z]{1,3})(?:-([0-7A-Z]{1,3}))?(?:\/(\d+))?$/.exec(part);
  if (!match?.[1]) throw new Error(`Invalid day-of-week "${part}" in "${cron}"`);
  const [, from, to, step] = match;
  const stride = step ? Number(step) : 1;
  if (stride < 1) throw new Error(`Invalid step in "${part}" of "${cron}"`);
  let first: number;
  let last: number;
  if (from === '*') {
    [first, last] = [0, 6];
  } else {
    first = from === '7' ? 7 : dayNumber(from, cron);
    last = to ? (to === '7' ? 7 : dayNumber(to, cron)) : step ? 6 : first;
    if (first === 7 && !to) [first, last] = [0, step ? 6 : 0];
  }
  if (last < first) throw new Error(`Day-of-week range "${part}" runs backwards in "${cron}"`);
  const days: number[] = [];
  for (let day = first; day <= last; day += stride) days.push(day % 7);
  return days;
}

/** [1,2,3,5,7] → ['1-3','5','7']: shorter expressions, same days. */
function compress(days: number[]): string[] {
  const unique = [...new Set(days)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < unique.length; ) {
    let j = i;
    while (j + 1 < unique.length && unique[j + 1] === (unique[j] ?? 0) + 1) j++;
    const start = unique[i];
    const end = unique[j];
    out.push(j - i >= 2 ? `${start}-${end}` : j > i ? `${start},${end}` : `${start}`);
    i = j + 1;
  }
  return out;
}
