import { describe, expect, it } from 'vitest';
import { isRecipient } from '#shared/domain/outreach-planning.ts';
import { subscriberStatus } from '#shared/domain/statuses.ts';
import type { Subscriber } from '#shared/domain/subscription.ts';

const reader = (fields: Partial<Subscriber> = {}): Subscriber =>
  ({ key: 'k', email: 'reader@example.org', urgent: true, digest: 'weekly', countries: [], topics: [], status: subscriberStatus.confirmed, ...fields }) as Subscriber;
const campaign = { countries: ['MA'], topics: ['prisoners'] };

describe('who an outreach is for', () => {
  it('sends urgent calls to confirmed subscribers of urgent alerts whose countries and topics match', () => {
    expect(isRecipient({ kind: 'urgent-call' }, reader(), campaign)).toBe(true);
    expect(isRecipient({ kind: 'urgent-call' }, reader({ countries: ['MA'], topics: ['prisoners'] }), campaign)).toBe(true);
    expect(isRecipient({ kind: 'urgent-call' }, reader({ countries: ['DZ'] }), campaign)).toBe(false);
    expect(isRecipient({ kind: 'urgent-call' }, reader({ urgent: false }), campaign)).toBe(false);
    // An urgent call about no campaign it can read reaches nobody.
    expect(isRecipient({ kind: 'urgent-call' }, reader(), undefined)).toBe(false);
  });

  it('sends digests to weekly readers only, whatever their urgent alerts and filters', () => {
    expect(isRecipient({ kind: 'digest' }, reader({ urgent: false, countries: ['DZ'] }), undefined)).toBe(true);
    expect(isRecipient({ kind: 'digest' }, reader({ digest: 'none' } as Partial<Subscriber>), campaign)).toBe(false);
  });

  it('sends nothing to a subscriber who has not confirmed, or has left', () => {
    for (const status of [subscriberStatus.awaitingLink, subscriberStatus.unsubscribed]) {
      expect(isRecipient({ kind: 'urgent-call' }, reader({ status }), campaign), status).toBe(false);
      expect(isRecipient({ kind: 'digest' }, reader({ status }), campaign), status).toBe(false);
    }
  });
});
