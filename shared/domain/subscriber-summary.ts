import type { Subscriber } from './subscription.ts';

/** Which subscribers an operator asks about: each filter left out means everyone. */
export interface SubscriberFilter {
  country?: string | undefined;
  topic?: string | undefined;
  locale?: string | undefined;
}

/**
 * A subscriber with no countries (or topics) wants everything, so they match every country (topic) asked
 * for: the filter selects whom an urgent call about that country would reach, as `wantsCampaign` does.
 * A locale matches itself and its regional forms (`fr` matches `fr-BE`); a subscriber without one reads `en`.
 */
export function matchesFilter(subscriber: Pick<Subscriber, 'countries' | 'topics' | 'locale'>, filter: SubscriberFilter): boolean {
  if (filter.country && subscriber.countries.length > 0 && !subscriber.countries.includes(filter.country)) return false;
  if (filter.topic && subscriber.topics.length > 0 && !subscriber.topics.includes(filter.topic)) return false;
  if (filter.locale) {
    const own = (subscriber.locale ?? 'en').toLowerCase();
    const wanted = filter.locale.toLowerCase();
    if (own !== wanted && !own.startsWith(`${wanted}-`)) return false;
  }
  return true;
}

/**
 * Counts of confirmed subscribers. `byCountry` and `byTopic` count each subscriber once per country (topic)
 * they chose, and those who chose none under `all`, so their sum can exceed `total`.
 */
export interface SubscriberTally {
  total: number;
  byStatus: Record<string, number>;
  byLocale: Record<string, number>;
  byCountry: Record<string, number>;
  byTopic: Record<string, number>;
  urgent: { on: number; off: number };
  digest: { weekly: number; none: number };
}

export function emptyTally(): SubscriberTally {
  return { total: 0, byStatus: {}, byLocale: {}, byCountry: {}, byTopic: {}, urgent: { on: 0, off: 0 }, digest: { weekly: 0, none: 0 } };
}

export function addToTally(tally: SubscriberTally, subscriber: Pick<Subscriber, 'status' | 'locale' | 'countries' | 'topics' | 'urgent' | 'digest'>): void {
  const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  tally.total++;
  bump(tally.byStatus, subscriber.status);
  bump(tally.byLocale, subscriber.locale ?? 'en');
  for (const country of subscriber.countries.length ? subscriber.countries : ['all']) bump(tally.byCountry, country);
  for (const topic of subscriber.topics.length ? subscriber.topics : ['all']) bump(tally.byTopic, topic);
  if (subscriber.urgent) tally.urgent.on++;
  else tally.urgent.off++;
  tally.digest[subscriber.digest]++;
}

/** Two partial tallies (pages of one list) as one. */
export function mergeTallies(a: SubscriberTally, b: SubscriberTally): SubscriberTally {
  const merge = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [key, n] of Object.entries(y)) out[key] = (out[key] ?? 0) + n;
    return out;
  };
  return {
    total: a.total + b.total,
    byStatus: merge(a.byStatus, b.byStatus),
    byLocale: merge(a.byLocale, b.byLocale),
    byCountry: merge(a.byCountry, b.byCountry),
    byTopic: merge(a.byTopic, b.byTopic),
    urgent: { on: a.urgent.on + b.urgent.on, off: a.urgent.off + b.urgent.off },
    digest: { weekly: a.digest.weekly + b.digest.weekly, none: a.digest.none + b.digest.none },
  };
}
