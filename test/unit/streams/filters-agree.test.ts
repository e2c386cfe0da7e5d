import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { countable } from '#functions/streams/count-confirmations.ts';
import { matches } from '#infra/local/event-pattern.ts';
import { manifest, type StreamTrigger } from '#infra/manifest.ts';
import { campaignStatus, endorsementStatus, erasureStatus, signatureStatus, subscriberStatus } from '#shared/domain/statuses.ts';
import { routesOf } from '#shared/streams/change-routes.ts';

/**
 * Each stream consumer says twice what it wants: once in the manifest's filter (what Lambda delivers) and once
 * in its own predicate (what it acts on). Every combination of item type, old status, new status and event
 * name goes through the local matcher and the predicate, so the two cannot drift apart.
 */
const statusesOf: Record<string, readonly (string | undefined)[]> = {
  signature: Object.values(signatureStatus),
  endorsement: Object.values(endorsementStatus),
  subscriber: Object.values(subscriberStatus),
  erasure: Object.values(erasureStatus),
  campaign: Object.values(campaignStatus),
  outreach: ['queued', 'sending', 'done'],
  counter: [undefined],
  delivery: ['queued', 'claimed', 'sending', 'sent', 'failed', 'skipped'],
  token: [undefined],
};

function item(type: string, status: string | undefined): Record<string, unknown> {
  return {
    pk: `${type.toUpperCase()}#free-nasser-zefzafi#abc`,
    sk: type.toUpperCase(),
    type,
    id: 'abc',
    slug: 'free-nasser-zefzafi',
    campaign: 'free-nasser-zefzafi',
    country: 'MA',
    email: 'someone@example.org',
    requestId: 'request-1',
    outreachId: 'abc',
    subscriberKey: 'email-key',
    confirmedAt: '2026-01-01T00:00:00.000Z',
    kind: 'petition',
    title: 'Free Nasser Zefzafi',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...(status === undefined ? {} : { status }),
  };
}

interface Sample {
  label: string;
  record: DynamoDBRecord;
}

function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', oldImage?: Record<string, unknown>, newImage?: Record<string, unknown>): DynamoDBRecord {
  return {
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ pk: String((newImage ?? oldImage)?.pk), sk: String((newImage ?? oldImage)?.sk) }),
      ...(oldImage ? { OldImage: marshall(oldImage) } : {}),
      ...(newImage ? { NewImage: marshall(newImage) } : {}),
      SequenceNumber: '100',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  } as DynamoDBRecord;
}

const samples: Sample[] = Object.entries(statusesOf).flatMap(([type, statuses]) => [
  ...statuses.map((status) => ({ label: `INSERT ${type} ${status}`, record: record('INSERT', undefined, item(type, status)) })),
  ...statuses.map((status) => ({ label: `REMOVE ${type} ${status}`, record: record('REMOVE', item(type, status), undefined) })),
  ...statuses.flatMap((from) =>
    statuses.map((to) => ({ label: `MODIFY ${type} ${from} -> ${to}`, record: record('MODIFY', item(type, from), { ...item(type, to), requestId: 'request-2' }) })),
  ),
]);

const filtersOf = (name: string) => manifest.find((spec) => spec.name === name)!.triggers.find((t): t is StreamTrigger => t.type === 'stream')!.filters;
const delivered = (name: string, sample: Sample) => filtersOf(name).some((filter) => matches(filter, sample.record));
const verdicts = (name: string, predicate: (record: DynamoDBRecord) => boolean) =>
  samples.map((sample) => ({ sample: sample.label, delivered: delivered(name, sample), wanted: predicate(sample.record) }));

describe('stream filters and their consumers agree', () => {
  it('has samples for every status of every kind of item', () => {
    expect(samples.length).toBeGreaterThan(60);
  });

  it('CountConfirmations is delivered exactly the records countable() counts', () => {
    const results = verdicts('CountConfirmations', (r) => countable(r) !== undefined);
    expect(results.filter((r) => r.delivered !== r.wanted)).toEqual([]);
    expect(results.filter((r) => r.wanted).map((r) => r.sample)).toEqual([
      'MODIFY signature pending -> confirmed',
      'INSERT endorsement approved',
      'MODIFY endorsement unconfirmed -> approved',
      'MODIFY endorsement pending -> approved',
      'MODIFY endorsement rejected -> approved',
    ]);
  });

  it('RouteChanges is delivered every record it forwards somewhere, and each goes where it belongs', () => {
    const results = verdicts('RouteChanges', (r) => Object.keys(routesOf(r)).length > 0);
    // Nothing the router would forward is filtered out before it.
    expect(results.filter((r) => r.wanted && !r.delivered)).toEqual([]);
    // The filter cannot compare old and new images: it also delivers edits of an open or closed campaign (and a
    // campaign written closed from the start) and of a waiting request that keep its `requestId`, which forward
    // nothing. Nothing else comes in vain.
    const inVain = results.filter((r) => r.delivered && !r.wanted).map((r) => r.sample);
    expect(inVain.filter((sample) => !/^(MODIFY (campaign open -> open|campaign closed -> closed|signature pending -> pending|endorsement unconfirmed -> unconfirmed|subscriber unconfirmed -> unconfirmed|erasure unconfirmed -> unconfirmed)|INSERT campaign closed)$/.test(sample))).toEqual([]);

    const where = (label: string) => Object.keys(routesOf(samples.find((sample) => sample.label === label)!.record));
    expect(where('INSERT signature pending')).toEqual(['link']);
    expect(where('INSERT endorsement unconfirmed')).toEqual(['link']);
    expect(where('INSERT subscriber unconfirmed')).toEqual(['link']);
    expect(where('INSERT erasure unconfirmed')).toEqual(['link']);
    // A repeat request (a new requestId) asks for a new link; an endorsement waiting for an operator does not.
    expect(where('MODIFY signature pending -> pending')).toEqual(['link']);
    expect(where('INSERT endorsement pending')).toEqual([]);
    expect(where('INSERT delivery queued')).toEqual(['delivery']);
    expect(where('MODIFY delivery queued -> claimed')).toEqual([]);
    expect(where('INSERT campaign open')).toEqual(['event']);
    expect(where('MODIFY campaign draft -> open')).toEqual(['event']);
    expect(where('MODIFY campaign open -> open')).toEqual([]);
    expect(where('MODIFY campaign open -> closed')).toEqual(['event']);
    expect(where('MODIFY campaign closed -> closed')).toEqual([]);
    expect(where('INSERT outreach queued')).toEqual(['event']);
    expect(where('MODIFY counter undefined -> undefined')).toEqual(['counter']);
    expect(where('MODIFY signature pending -> confirmed')).toEqual([]);
  });

  it('CountConfirmations and RouteChanges are the only readers of the stream', () => {
    const readers = manifest.filter((spec) => spec.triggers.some((t) => t.type === 'stream')).map((spec) => spec.name);
    expect(readers).toEqual(['CountConfirmations', 'RouteChanges']);
  });
});
