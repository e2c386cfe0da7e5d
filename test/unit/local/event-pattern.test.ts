import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { manifest, type StreamTrigger } from '#infra/manifest.ts';
import { matches } from '#infra/local/event-pattern.ts';

describe('matches: EventBridge-style patterns', () => {
  const event = {
    source: 'tadamon',
    'detail-type': 'CampaignPublished',
    detail: { slug: 'free-nasser-zefzafi', urgent: true, goal: 1000, countries: ['MA', 'TR'], issuedBy: null, meta: { locale: 'en' } },
  };

  it('matches exact values, any of those listed', () => {
    expect(matches({ source: ['tadamon'] }, event)).toBe(true);
    expect(matches({ source: ['other', 'tadamon'] }, event)).toBe(true);
    expect(matches({ source: ['other'] }, event)).toBe(false);
  });

  it('compares types strictly: true is not "true", 1000 is not "1000"', () => {
    expect(matches({ detail: { urgent: [true] } }, event)).toBe(true);
    expect(matches({ detail: { urgent: ['true'] } }, event)).toBe(false);
    expect(matches({ detail: { goal: [1000] } }, event)).toBe(true);
    expect(matches({ detail: { goal: ['1000'] } }, event)).toBe(false);
  });

  it('matches null only against null, not against a missing field', () => {
    expect(matches({ detail: { issuedBy: [null] } }, event)).toBe(true);
    expect(matches({ detail: { target: [null] } }, event)).toBe(false);
  });

  it('needs every field of the pattern to match, at every depth', () => {
    expect(matches({ source: ['tadamon'], detail: { slug: ['free-nasser-zefzafi'], meta: { locale: ['en'] } } }, event)).toBe(true);
    expect(matches({ source: ['tadamon'], detail: { slug: ['free-nasser-zefzafi'], meta: { locale: ['fr'] } } }, event)).toBe(false);
    expect(matches({ detail: { missing: { deeper: ['x'] } } }, event)).toBe(false);
  });

  it('matches an array in the event when any element matches', () => {
    expect(matches({ detail: { countries: ['TR'] } }, event)).toBe(true);
    expect(matches({ detail: { countries: ['PS', 'MA'] } }, event)).toBe(true);
    expect(matches({ detail: { countries: ['PS'] } }, event)).toBe(false);
  });

  it('tests presence with exists', () => {
    expect(matches({ detail: { slug: [{ exists: true }] } }, event)).toBe(true);
    expect(matches({ detail: { closesAt: [{ exists: true }] } }, event)).toBe(false);
    expect(matches({ detail: { closesAt: [{ exists: false }] } }, event)).toBe(true);
    expect(matches({ detail: { slug: [{ exists: false }] } }, event)).toBe(false);
  });

  it('matches string prefixes, and only strings', () => {
    expect(matches({ detail: { slug: [{ prefix: 'free-' }] } }, event)).toBe(true);
    expect(matches({ detail: { slug: [{ prefix: 'release-' }] } }, event)).toBe(false);
    expect(matches({ detail: { goal: [{ prefix: '10' }] } }, event)).toBe(false);
  });

  it('matches a prefix against the elements of an array, as any other value', () => {
    expect(matches({ detail: { countries: [{ prefix: 'T' }] } }, event)).toBe(true);
    expect(matches({ detail: { countries: [{ prefix: 'P' }] } }, event)).toBe(false);
  });

  it('matches anything-but: a present value outside the list, never a missing field', () => {
    expect(matches({ detail: { slug: [{ 'anything-but': ['other'] }] } }, event)).toBe(true);
    expect(matches({ detail: { slug: [{ 'anything-but': ['free-nasser-zefzafi', 'other'] }] } }, event)).toBe(false);
    expect(matches({ detail: { goal: [{ 'anything-but': [500] }] } }, event)).toBe(true);
    expect(matches({ detail: { closesAt: [{ 'anything-but': ['x'] }] } }, event)).toBe(false);
  });

  it('does not match something that is not an object', () => {
    expect(matches({ source: ['tadamon'] }, null)).toBe(false);
    expect(matches({ source: ['tadamon'] }, 'tadamon')).toBe(false);
  });
});

describe("the manifest's stream filters against DynamoDB stream records", () => {
  const trigger = (name: string) => manifest.find((spec) => spec.name === name)!.triggers.find((t): t is StreamTrigger => t.type === 'stream')!;
  const delivered = (name: string, record: unknown) => trigger(name).filters.some((filter) => matches(filter, record));

  const signature = { pk: 'SIGNATURE#free-nasser-zefzafi#abc', sk: 'SIGNATURE', type: 'signature', campaign: 'free-nasser-zefzafi', country: 'MA', linkRequests: 1 };
  // The record as Lambda's filter sees it: images in DynamoDB JSON.
  const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', oldImage?: Record<string, unknown>, newImage?: Record<string, unknown>) => ({
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ pk: signature.pk, sk: signature.sk }),
      ...(oldImage ? { OldImage: marshall(oldImage) } : {}),
      ...(newImage ? { NewImage: marshall(newImage) } : {}),
      SequenceNumber: '100',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  });
  const pending = { ...signature, status: 'pending' };
  const confirmed = { ...signature, status: 'confirmed', confirmedAt: '2026-01-01T00:00:00.000Z' };

  it('delivers a signature going from pending to confirmed to the counter', () => {
    expect(delivered('CountConfirmations', record('MODIFY', pending, confirmed))).toBe(true);
  });

  it('does not deliver the counter its own marker write (confirmed to confirmed with countedAt)', () => {
    expect(delivered('CountConfirmations', record('MODIFY', confirmed, { ...confirmed, countedAt: '2026-01-01T00:00:01.000Z' }))).toBe(false);
  });

  it('does not deliver new pending signatures, repeat link requests or expiries to the counter', () => {
    expect(delivered('CountConfirmations', record('INSERT', undefined, pending))).toBe(false);
    expect(delivered('CountConfirmations', record('MODIFY', pending, { ...pending, linkRequests: 2 }))).toBe(false);
    expect(delivered('CountConfirmations', record('REMOVE', pending, undefined))).toBe(false);
  });

  it('delivers an endorsement becoming approved to the counter, inserted or modified', () => {
    const endorsement = { pk: 'ENDORSEMENT#x#1', sk: 'ENDORSEMENT', type: 'endorsement', campaign: 'x', organisation: 'AMDH' };
    expect(delivered('CountConfirmations', record('INSERT', undefined, { ...endorsement, status: 'approved' }))).toBe(true);
    expect(delivered('CountConfirmations', record('MODIFY', { ...endorsement, status: 'pending' }, { ...endorsement, status: 'approved' }))).toBe(true);
    expect(delivered('CountConfirmations', record('INSERT', undefined, { ...endorsement, status: 'pending' }))).toBe(false);
    // An approved endorsement edited later is not approved again.
    expect(delivered('CountConfirmations', record('MODIFY', { ...endorsement, status: 'approved' }, { ...endorsement, status: 'approved', website: 'https://example.org' }))).toBe(false);
  });

  it('delivers new and repeated pending signatures to the router (for the confirmation mailer), not confirmed ones', () => {
    expect(delivered('RouteChanges', record('INSERT', undefined, pending))).toBe(true);
    expect(delivered('RouteChanges', record('MODIFY', pending, { ...pending, linkRequests: 2 }))).toBe(true);
    expect(delivered('RouteChanges', record('MODIFY', pending, confirmed))).toBe(false);
  });
});
