import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { matches } from '#infra/local/event-pattern.ts';
import { manifest, type StreamTrigger } from '#infra/manifest.ts';
import { routesOf } from '#shared/streams/change-routes.ts';

/**
 * An outreach made to be sent now asks for its planning through the stream; a scheduled one does not (the
 * minute's starter puts its event when it is due), and nothing else of an outreach reaches the router.
 */
const outreach = (state: string | undefined, extra: Record<string, unknown> = {}) => ({
  pk: 'OUTREACH#abc',
  sk: 'OUTREACH',
  type: 'outreach',
  id: 'abc',
  kind: 'urgent-call',
  ...(state ? { state } : {}),
  ...extra,
});

function record(eventName: 'INSERT' | 'MODIFY', oldImage: Record<string, unknown> | undefined, newImage: Record<string, unknown>): DynamoDBRecord {
  return {
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ pk: 'OUTREACH#abc', sk: 'OUTREACH' }),
      ...(oldImage ? { OldImage: marshall(oldImage) } : {}),
      NewImage: marshall(newImage),
      SequenceNumber: '1',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  } as DynamoDBRecord;
}

const filters = manifest.find((spec) => spec.name === 'RouteChanges')!.triggers.find((t): t is StreamTrigger => t.type === 'stream')!.filters;
const delivered = (r: DynamoDBRecord) => filters.some((filter) => matches(filter, r));
const event = (r: DynamoDBRecord) => routesOf(r).event?.detailType;

describe('outreach on the stream', () => {
  it('asks for planning when an outreach is made to be sent now, as before scheduling existed', () => {
    for (const state of [undefined, 'queued']) {
      const r = record('INSERT', undefined, outreach(state));
      expect(delivered(r)).toBe(true);
      expect(event(r)).toBe('UrgentCallIssued');
    }
  });

  it('asks for nothing when a scheduled one is made (its start puts the event itself), nor when it starts', () => {
    const made = record('INSERT', undefined, outreach('scheduled'));
    expect(event(made)).toBeUndefined();
    const started = record('MODIFY', outreach('scheduled'), outreach('queued', { startedAt: '2036-01-01T00:00:00Z' }));
    expect(delivered(started)).toBe(false);
    expect(event(started)).toBeUndefined();
  });

  it('is not delivered the counters moving, nor a cancellation', () => {
    for (const r of [
      record('MODIFY', outreach('queued', { sent: 1 }), outreach('queued', { sent: 2 })),
      record('MODIFY', outreach(undefined, { sent: 1 }), outreach(undefined, { sent: 2 })),
      record('MODIFY', outreach('scheduled'), outreach('cancelled')),
      record('MODIFY', outreach('queued'), outreach('cancelled')),
    ]) {
      expect(delivered(r)).toBe(false);
      expect(event(r)).toBeUndefined();
    }
  });
});
