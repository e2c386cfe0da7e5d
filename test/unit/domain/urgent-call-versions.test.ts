import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '#shared/domain/errors.ts';
import {
  AudienceTally,
  callMessages,
  checkSendAt,
  messageIn,
  messageLocaleFor,
  parseTestDeliveryKey,
  testDeliveryKey,
  testDeliveryKeys,
} from '#shared/domain/outreach-planning.ts';
import { progressOf } from '#shared/domain/outreach.ts';
import { subscriberStatus } from '#shared/domain/statuses.ts';
import type { Subscriber } from '#shared/domain/subscription.ts';

const en = { subject: 'Act now', message: 'Write to the minister today.' };
const fr = { subject: 'Agissez', message: 'Écrivez au ministre aujourd’hui.' };
const ar = { subject: 'تحركوا الآن', message: 'اكتبوا إلى الوزير اليوم.' };

const reader = (fields: Partial<Subscriber> = {}): Subscriber =>
  ({ key: 'k', email: 'reader@example.org', urgent: true, digest: 'weekly', countries: [], topics: [], status: subscriberStatus.confirmed, ...fields }) as Subscriber;

function invalid(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.errors;
    throw error;
  }
  throw new Error('it was accepted');
}

describe("an urgent call's language versions", () => {
  it('takes the old single subject and message as the campaign language version', () => {
    expect(callMessages(en, 'fr-MA')).toEqual({ messages: { fr: en }, locale: 'fr' });
  });

  it('takes versions by mail locale, a regional tag naming its language', () => {
    expect(callMessages({ messages: { en, 'fr-CA': fr, AR: ar } }, 'en')).toEqual({ messages: { en, fr, ar }, locale: 'en' });
  });

  it("requires the campaign's language, which everyone without a version of their own reads", () => {
    expect(invalid(() => callMessages({ messages: { fr } }, 'en'))).toEqual([{ path: 'messages.en', message: expect.stringContaining("campaign's language (en)") }]);
  });

  it('refuses unknown languages, two versions of one language, both forms at once, and nothing at all', () => {
    expect(invalid(() => callMessages({ messages: { en, de: fr } }, 'en'))[0]?.path).toBe('messages.de');
    expect(invalid(() => callMessages({ messages: { en, fr, 'fr-BE': fr } }, 'en'))[0]?.path).toBe('messages.fr-BE');
    expect(invalid(() => callMessages({ ...en, messages: { fr } }, 'en'))[0]?.path).toBe('messages');
    expect(invalid(() => callMessages({ subject: 'Only a subject' }, 'en'))[0]?.path).toBe('message');
    expect(invalid(() => callMessages({}, 'en'))[0]?.path).toBe('messages');
  });

  it("gives each subscriber their language where the call has it, else the campaign's", () => {
    const call = { messages: { en, fr }, locale: 'en' as const };
    expect(messageLocaleFor(call, 'fr-CA')).toBe('fr');
    expect(messageLocaleFor(call, 'ar')).toBe('en');
    expect(messageLocaleFor(call, undefined)).toBe('en');
    expect(messageLocaleFor({ messages: { fr, ar }, locale: 'fr' }, 'es')).toBe('fr');
    expect(messageIn(call, 'fr')).toEqual(fr);
    expect(messageIn(call, 'ar')).toEqual(en);
  });

  it('says exactly what is wrong with a call, field by field', () => {
    expect(invalid(() => callMessages({ ...en, messages: { fr } }, 'en'))).toEqual([
      { path: 'messages', message: 'Give either subject and message, or messages by language, not both.' },
    ]);
    expect(invalid(() => callMessages({ subject: 'Only a subject' }, 'en'))).toEqual([{ path: 'message', message: 'A subject needs a message, and a message a subject.' }]);
    expect(invalid(() => callMessages({ message: 'Only a message' }, 'en'))).toEqual([{ path: 'subject', message: 'A subject needs a message, and a message a subject.' }]);
    expect(invalid(() => callMessages({}, 'en'))).toEqual([{ path: 'messages', message: 'Give the call: messages by language, or subject and message.' }]);
    expect(invalid(() => callMessages({ messages: { en, de: fr } }, 'en'))).toEqual([{ path: 'messages.de', message: 'Mail is written in en, fr, es, ar; "de" is none of them.' }]);
    expect(invalid(() => callMessages({ messages: { en, fr, 'fr-BE': fr } }, 'en'))).toEqual([{ path: 'messages.fr-BE', message: 'A second version in "fr".' }]);
  });

  it('reads a call whose campaign language is unknown in English, and a version-less one as empty text', () => {
    expect(messageLocaleFor({ messages: { en } }, undefined)).toBe('en');
    expect(messageLocaleFor({ messages: { en } }, 'fr')).toBe('en');
    expect(messageIn({}, 'en')).toEqual({ subject: '', message: '' });
    expect(messageIn({ subject: 'Old' }, 'en')).toEqual({ subject: 'Old', message: '' });
    expect(messageIn({ message: 'Text' }, 'en')).toEqual({ subject: '', message: 'Text' });
  });

  it('reads a call made before languages as its one version', () => {
    expect(messageIn({ subject: 'Old', message: 'Single text.' }, 'fr')).toEqual({ subject: 'Old', message: 'Single text.' });
  });

  it('counts the audience by the language each would read, with the planner’s rules', () => {
    const tally = new AudienceTally({ kind: 'urgent-call', messages: { en, fr }, locale: 'en' }, { countries: ['MA'], topics: [] });
    for (const subscriber of [
      reader({ locale: 'fr' }),
      reader({ locale: 'fr-BE', countries: ['MA'] }),
      reader({ locale: 'ar' }),
      reader(),
      reader({ locale: 'fr', countries: ['TR'] }),
      reader({ locale: 'fr', urgent: false }),
      reader({ locale: 'fr', status: subscriberStatus.unsubscribed }),
    ]) {
      tally.add(subscriber);
    }
    expect(tally.audience).toBe(4);
    expect(tally.byLocale).toEqual({ fr: 2, en: 2 });
  });
});

describe('scheduling an urgent call', () => {
  const now = new Date('2036-03-01T12:00:00Z');

  it('takes a time in the future within 30 days, normalised to UTC', () => {
    expect(checkSendAt('2036-03-02T09:00:00+01:00', now)).toBe('2036-03-02T08:00:00.000Z');
  });

  it('refuses a time that has passed, one too far ahead, and one that is no time', () => {
    expect(invalid(() => checkSendAt('2036-03-01T11:59:59Z', now))[0]?.message).toMatch(/passed/);
    expect(invalid(() => checkSendAt('2036-04-01T12:00:00Z', now))[0]?.message).toMatch(/30 days/);
    expect(invalid(() => checkSendAt('soon', now))[0]?.path).toBe('sendAt');
  });
});

describe("a test send's deliveries", () => {
  it('are one per address and language version, under keys no email key can have', () => {
    const keys = testDeliveryKeys({ testTo: ['a@example.org', 'b@example.org'], messages: { en, ar } });
    expect(keys).toEqual(['test~0~en', 'test~0~ar', 'test~1~en', 'test~1~ar']);
    expect(keys.every((key) => !/^[A-Za-z0-9_-]+$/.test(key))).toBe(true);
    expect(parseTestDeliveryKey(testDeliveryKey(4, 'fr'))).toEqual({ index: 4, locale: 'fr' });
    expect(parseTestDeliveryKey('test~0~de')).toBeUndefined();
    expect(parseTestDeliveryKey('abcDEF_-')).toBeUndefined();
  });
});

describe("an outreach's progress", () => {
  const counts = { planned: true, recipients: 3, sent: 1, failed: 0, skipped: 0 };
  it('is scheduled, cancelled, or follows its counters', () => {
    expect(progressOf({ ...counts, planned: false, recipients: 0, sent: 0, state: 'scheduled' })).toBe('scheduled');
    expect(progressOf({ ...counts, state: 'cancelled' })).toBe('cancelled');
    expect(progressOf({ ...counts, planned: false, recipients: 0, sent: 0 })).toBe('queued');
    expect(progressOf(counts)).toBe('sending');
    expect(progressOf({ ...counts, sent: 2, skipped: 1, state: 'queued' })).toBe('done');
  });
});
