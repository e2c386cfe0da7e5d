import { describe, expect, it } from 'vitest';
import { refusal } from '#infra/local/item-access.ts';
import { manifest, type FunctionSpec } from '#infra/manifest.ts';
import { subscriberStatus } from '#shared/domain/statuses.ts';
import { addToTally, emptyTally, matchesFilter, mergeTallies } from '#shared/domain/subscriber-summary.ts';
import type { SubscriberProfile } from '#shared/store/subscriber-scan.ts';

// What the scan hands back: the counted fields only, no address, name or key.
const profile = (fields: Partial<SubscriberProfile>): SubscriberProfile => ({
  status: subscriberStatus.confirmed,
  urgent: true,
  digest: 'weekly',
  countries: [],
  topics: [],
  ...fields,
});

describe('a tally of subscribers of every status', () => {
  it('counts each status apart, and everything else across statuses', () => {
    const tally = emptyTally();
    for (const p of [
      profile({ status: subscriberStatus.awaitingLink, locale: 'fr', countries: ['MA'] }),
      profile({ status: subscriberStatus.confirmed, locale: 'ar', countries: ['MA', 'TR'] }),
      profile({ status: subscriberStatus.confirmed, digest: 'none' }),
      profile({ status: subscriberStatus.unsubscribed, urgent: false, topics: ['housing'] }),
    ]) {
      addToTally(tally, p);
    }
    expect(tally).toEqual({
      total: 4,
      byStatus: { unconfirmed: 1, confirmed: 2, unsubscribed: 1 },
      byLocale: { fr: 1, ar: 1, en: 2 },
      byCountry: { MA: 2, TR: 1, all: 2 },
      byTopic: { all: 3, housing: 1 },
      urgent: { on: 3, off: 1 },
      digest: { weekly: 3, none: 1 },
    });
  });

  it('adds up pages of a scan status by status, and filters each status alike', () => {
    const first = emptyTally();
    const second = emptyTally();
    addToTally(first, profile({ status: subscriberStatus.awaitingLink }));
    addToTally(second, profile({ status: subscriberStatus.awaitingLink }));
    addToTally(second, profile({ status: subscriberStatus.unsubscribed }));
    expect(mergeTallies(first, second).byStatus).toEqual({ unconfirmed: 2, unsubscribed: 1 });
    expect(matchesFilter(profile({ status: subscriberStatus.unsubscribed, countries: ['TR'] }), { country: 'MA' })).toBe(false);
  });
});

describe('who may scan the table', () => {
  const summary = manifest.find((spec) => spec.name === 'AdminSubscriberSummary')!;
  const scan = { action: 'dynamodb:Scan', partitionKeys: [] };

  it('lets the subscriber summary scan the table, and not an index, because its entry says "scan"', () => {
    expect(summary.scan).toBe(true);
    expect(refusal(summary, scan)).toBeUndefined();
    expect(refusal(summary, { ...scan, index: 'gsi1' })).toMatch(/scan/);
    expect(refusal({ ...summary, scan: false }, scan)).toMatch(/scan/);
  });

  it('never lets a function that writes scan through "scan"', () => {
    const writer: FunctionSpec = { ...summary, table: 'write' };
    expect(refusal(writer, scan)).toMatch(/scan/);
    // Only read-only operator counts ask for it.
    expect(manifest.filter((spec) => spec.scan).map((spec) => spec.name)).toEqual(['AdminSubscriberSummary']);
  });
});
