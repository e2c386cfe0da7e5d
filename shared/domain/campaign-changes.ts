import type { Campaign, Translation } from './campaign.ts';
/**
 * What applying a campaign document would change on the stored campaign, field by field, for `tadamon campaign
 * update` to show before it asks. Pure: no store, no HTTP.
 */

/** One field a document would change, as a person reads it. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

const longText = new Set(['summary', 'body', 'letter']);

/**
 * The fields of `wanted` that differ from `stored`, field by field, in the order of the document. Arrays and
 * objects compare by value; a field the document leaves out is not a change.
 */
export function fieldChanges(stored: Record<string, unknown>, wanted: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, to] of Object.entries(wanted)) {
    if (to === undefined) continue;
    const from = stored[field];
    if (!sameValue(from, to)) changes.push({ field, from, to });
  }
  return changes;
}

/** Optional fields set on the stored campaign that the document does not have: PATCH keeps them. */
export function keptFields(stored: Campaign, wanted: Record<string, unknown>, fields: readonly string[]): string[] {
  return fields.filter((f) => (stored as unknown as Record<string, unknown>)[f] !== undefined && wanted[f] === undefined);
}

/** A translation is changed when any of its fields is. */
export function translationChanges(stored: Translation | undefined, wanted: Translation): FieldChange[] {
  return fieldChanges((stored ?? {}) as Record<string, unknown>, wanted as unknown as Record<string, unknown>);
}

/** `title: "Old" → "New"`; long texts are described by their size and first differing line, not printed whole. */
export function describeChange(change: FieldChange): string {
  const { field, from, to } = change;
  if (longText.has(field) && (typeof from === 'string' || from === undefined) && typeof to === 'string') {
    const before = from ?? '';
    const at = firstDifferentLine(before, to);
    const where = at === undefined ? '' : `, from line ${at + 1}: ${JSON.stringify(cut(to.split('\n')[at] ?? ''))}`;
    return `${field}: ${before ? `${before.length}` : 'none'} → ${to.length} characters${where}`;
  }
  return `${field}: ${show(from)} → ${show(to)}`;
}

function firstDifferentLine(a: string, b: string): number | undefined {
  const left = a.split('\n');
  const right = b.split('\n');
  for (let i = 0; i < Math.max(left.length, right.length); i++) if (left[i] !== right[i]) return i;
  return undefined;
}

function show(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (Array.isArray(value)) return value.length ? cut(value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', '), 100) : '(none)';
  return cut(typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value), 100);
}

function cut(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}
