import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent, EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutreachRequested } from '#events/outreach.ts';
import { handler as plan } from '#functions/events/plan-outreach.ts';
import { handler as send } from '#functions/streams/send-outreach.ts';
import { requestUrgentCall } from '#shared/use-cases/outreach-requests.ts';
import { RateLimiter } from '#shared/mail/rate-limiter.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { outreachStatus } from '#shared/store/outreach-store.ts';
import { confirmSubscription, subscribe, unsubscribe } from '#shared/store/subscription-store.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { keys } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

const ses = mockClient(SESClient);
const campaignInput = { kind: 'petition' as const, summary: '', body: '', demands: [], locale: 'en', translations: {}, topics: [], urgent: true };

async function subscriber(email: string, preferences: { countries?: string[]; topics?: string[]; urgent?: boolean } = {}) {
  await subscribe({ email, urgent: preferences.urgent ?? true, digest: 'weekly', countries: preferences.countries ?? [], topics: preferences.topics ?? [] });
  await confirmSubscription(keys.subscriber(emailKey(email)));
}

const planned = (outreachId: string) => ({ detail: { outreachId, kind: 'urgent-call' } }) as EventBridgeEvent<string, OutreachRequested>;

function deliveryRecords(outreachId: string, emails: string[]): DynamoDBStreamEvent {
  return {
    Records: emails.map((email, i) => ({
      eventName: 'INSERT',
      dynamodb: {
        SequenceNumber: String(i + 1),
        NewImage: marshall({ ...keys.delivery(outreachId, emailKey(email)), type: 'delivery', outreachId, subscriberKey: emailKey(email), status: 'queued' }) as never,
      },
    })),
  };
}

const recipientsOf = () => ses.commandCalls(SendRawEmailCommand).map((call) => /^To: (.*)$/m.exec(Buffer.from(call.args[0].input.RawMessage?.Data ?? []).toString())?.[1]);

describe('fan-out: planning and sending an urgent call', () => {
  // A table per test: every test's subscribers are the whole audience.
  beforeEach(async () => {
    await useTestTable('outreach');
    process.env.SES_RATE_PER_SECOND = '1000';
    process.env.AWS_ENDPOINT_URL_SES = 'http://127.0.0.1:9';
  });
  afterEach(() => ses.reset());

  it('selects confirmed urgent subscribers whose countries and topics match, once each, however often it runs', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Rif detainees', countries: ['MA'], topics: ['political-prisoners'] });
    await subscriber('everything@example.org');
    await subscriber('morocco@example.org', { countries: ['MA', 'DZ'] });
    await subscriber('turkey@example.org', { countries: ['TR'] });
    await subscriber('prisoners@example.org', { topics: ['political-prisoners'] });
    await subscriber('climate@example.org', { topics: ['climate'] });
    await subscriber('digest-only@example.org', { urgent: false });
    await subscribe({ email: 'never-confirmed@example.org', urgent: true, digest: 'weekly', countries: [], topics: [] });
    await subscriber('left@example.org');
    await unsubscribe(emailKey('left@example.org'));

    const { outreachId } = await requestUrgentCall(slug, 'Act now', 'Write today.', 'test');
    expect(await plan(planned(outreachId))).toEqual({ recipients: 3 });
    expect(await plan(planned(outreachId))).toEqual({ recipients: 3 });
    expect((await outreachStatus(outreachId)).recipients).toBe(3);
  });

  it('sends each delivery once when the stream delivers it twice, or after a restart mid-batch', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Once only', countries: [] });
    const emails = ['one@example.org', 'two@example.org', 'three@example.org'];
    for (const email of emails) await subscriber(email);
    const { outreachId } = await requestUrgentCall(slug, 'Once', 'Only once.', 'test');
    await plan(planned(outreachId));
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm' });

    // A sender that dies after the first delivery; its batch comes back whole.
    await send(deliveryRecords(outreachId, emails.slice(0, 1)));
    await send(deliveryRecords(outreachId, emails));
    await send(deliveryRecords(outreachId, emails));

    expect(recipientsOf().sort()).toEqual([...emails].sort());
    expect(await outreachStatus(outreachId)).toMatchObject({ status: 'done', sent: 3, failed: 0, skipped: 0 });
  });

  it('retries throttling, records permanent failures, and skips whoever unsubscribed meanwhile', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Failures', countries: [] });
    const emails = ['throttled@example.org', 'rejected@example.org', 'gone-meanwhile@example.org'];
    for (const email of emails) await subscriber(email);
    const { outreachId } = await requestUrgentCall(slug, 'Mixed', 'Results.', 'test');
    await plan(planned(outreachId));
    await unsubscribe(emailKey('gone-meanwhile@example.org'));
    const throttle = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
    const reject = Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });
    ses
      .on(SendRawEmailCommand)
      .rejectsOnce(throttle)
      .resolvesOnce({ MessageId: 'ok' })
      .rejects(reject);
    await send(deliveryRecords(outreachId, emails));
    expect(await outreachStatus(outreachId)).toMatchObject({ status: 'done', recipients: 3, sent: 1, failed: 1, skipped: 1 });
  });
});

describe('the rate limiter', () => {
  it('spaces sends evenly so no second holds more than the cap', async () => {
    vi.useFakeTimers();
    try {
      const limiter = new RateLimiter(10);
      const times: number[] = [];
      const start = Date.now();
      const all = Promise.all(Array.from({ length: 25 }, () => limiter.take().then(() => times.push(Date.now() - start))));
      await vi.runAllTimersAsync();
      await all;
      const perSecond = new Map<number, number>();
      for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
      expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(10);
      expect(times.at(-1)).toBe(2400);
    } finally {
      vi.useRealTimers();
    }
  });
});
