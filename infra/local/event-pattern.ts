import type { EventPattern, PatternValue } from '#infra/manifest.ts';

/**
 * Matches a JSON value against an EventBridge / Lambda filter-criteria pattern: the subset the manifest
 * uses (exact values, `exists`, `prefix`, `anything-but`, nested objects). Arrays in the event match if any element does.
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

function matchesValue(candidate: PatternValue, actual: unknown): boolean {
  if (candidate !== null && typeof candidate === 'object') {
    if ('exists' in candidate) return candidate.exists === (actual !== undefined);
    if ('prefix' in candidate) {
      const { prefix } = candidate;
      const hasPrefix = (value: unknown) => typeof value === 'string' && value.startsWith(prefix);
      return Array.isArray(actual) ? actual.some(hasPrefix) : hasPrefix(actual);
    }
    // Like EventBridge: anything-but matches a present value outside the list, never a missing field.
    if ('anything-but' in candidate) {
      const excluded = candidate['anything-but'];
      return (typeof actual === 'string' || typeof actual === 'number') && !excluded.includes(actual);
    }
    return false;
  }
  if (Array.isArray(actual)) return actual.some((element) => element === candidate);
  return actual === candidate;
}
