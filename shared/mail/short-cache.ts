import { config } from '#shared/config.ts';

/**
 * A lookup remembered for `ttlMs` per container: a queue consumer's invocations see the same campaign or outreach
 * again and again (a million deliveries of one urgent call), and a copy a minute old is as good as a fresh one
 * for composing mail. Nothing found and failed lookups are not remembered, so the next message reads again.
 * Entries are per table, as the local runtime and tests may point one process at several.
 */
export type Cached<T> = ((key: string) => Promise<T | undefined>) & {
  /** Drops every entry: for tests that change what is looked up between calls in one process. */
  forget: () => void;
};

export function cachedFor<T>(ttlMs: number, load: (key: string) => Promise<T | undefined>): Cached<T> {
  const entries = new Map<string, { value: Promise<T | undefined>; until: number }>();
  const lookUp = (key: string) => {
    const at = Date.now();
    const scoped = `${config().TABLE_NAME}\u0000${key}`;
    const entry = entries.get(scoped);
    if (entry && entry.until > at) return entry.value;
    const value = load(key);
    entries.set(scoped, { value, until: at + ttlMs });
    const forget = () => {
      if (entries.get(scoped)?.value === value) entries.delete(scoped);
    };
    value.then((found) => found === undefined && forget(), forget);
    if (entries.size > 1000) entries.delete(entries.keys().next().value!);
    return value;
  };
  return Object.assign(lookUp, { forget: () => entries.clear() });
}
