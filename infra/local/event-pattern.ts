import type { EventPattern } from '#infra/manifest.ts';

/**
 * Matches a JSON value against an EventBridge / Lambda filter-criteria pattern: the subset the manifest
 * uses (exact values, `exists`, `prefix`, nested objects). Arrays in the event match if any element does.
 */
export function matches(pattern: EventPattern, event: unknown): boolean {
  if (event === null || typeof event !== 'object') return false;
  const record = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = record[key];
    if (Array.isArray(expected)) return expected.some((candidate) => matchesValue(candidate, actual));
    return matches(expected, actual);
  });
}

type PatternValue = string | number | boolean | null | { exists: boolean } | { prefix: string };

function matchesValue(candidate: PatternValue, actual: unknown): boolean {
  if (candidate !== null && typeof candidate === 'object') {
    if ('exists' in candidate) return candidate.exists === (actual !== undefined);
    if ('prefix' in candidate) return typeof actual === 'string' && actual.startsWith(candidate.prefix);
    return false;
  }
  if (Array.isArray(actual)) return actual.some((element) => element === candidate);
  return actual === candidate;
}
