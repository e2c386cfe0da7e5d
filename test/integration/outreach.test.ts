import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent, EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutreachRequested } from '#events/outreach.ts';
import { handler as plan } from '#functions/events/plan-outreach.ts';
import { handler as sendOutreach } from '#functions/queues/send-outreach.ts';
import { requestUrgentCall } from '#shared/use-cases/outreach-requests.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { outreachStatus } from '#shared/store/outreach-store.ts';
import { confirmSubscription, subscribe, unsubscribe } from '#shared/store/subscription-store.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { keys } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';
import { deliveryMessagesOf } from '#test/support/mail-queues.ts';

const ses = mockClient(SESClient);
const campaignInput = { kind: 'petition' as const, summary: '', body: '', demands: [], locale: 'en', translations: {}, topics: [], urgent: true };

async function subscriber(email: string, preferences: { countries?: string[]; topics?: string[]; urgent?: boolean } = {}) {
  await subscribe({ email, urgent: preferences.urgent ?? true, digest: 'weekly', countries: preferences.countries ?? [], topics: preferences.topics ?? [] });
  await confirmSubscription(keys.subscriber(emailKey(email)));
}

/** The router forwards each queued delivery to the bulk-mail queue; its consumer gets them as Lambda's SQS mapping delivers. */
const send = (event: DynamoDBStreamEvent) => sendOutreach(deliveryMessagesOf(event));

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

  it('sends each delivery once when its message comes twice, or after a restart mid-batch', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Once only', countries: [] });
    const emails = ['one@example.org', 'two@example.org', 'three@example.org'];
    for (const email of emails) await subscriber(email);
    const { outreachId } = await requestUrgentCall(slug, 'Once', 'Only once.', 'test');
    await plan(planned(outreachId));
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm' });

    // A sender that dies after the first delivery; its messages come back; the router forwarded them twice.
    await send(deliveryRecords(outreachId, emails.slice(0, 1)));
    await send(deliveryRecords(outreachId, emails));
    await send(deliveryRecords(outreachId, emails));

    expect(recipientsOf().sort()).toEqual([...emails].sort());
    expect(await outreachStatus(outreachId)).toMatchObject({ status: 'done', sent: 3, failed: 0, skipped: 0 });
  });

  it('hands throttled sends back to the queue, records permanent failures, and skips whoever unsubscribed meanwhile', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Failures', countries: [] });
    const emails = ['throttled@example.org', 'rejected@example.org', 'gone-meanwhile@example.org'];
    for (const email of emails) await subscriber(email);
    const { outreachId } = await requestUrgentCall(slug, 'Mixed', 'Results.', 'test');
    await plan(planned(outreachId));
    await unsubscribe(emailKey('gone-meanwhile@example.org'));
    const throttle = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
    const reject = Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });
    let throttled = 0;
    ses.on(SendRawEmailCommand).callsFake((input: { RawMessage?: { Data?: Uint8Array } }) => {
      const to = /^To: (.*)$/m.exec(Buffer.from(input.RawMessage?.Data ?? []).toString())?.[1];
      if (to === 'rejected@example.org') throw reject;
      if (to === 'throttled@example.org' && throttled++ === 0) throw throttle;
      return { MessageId: 'ok' };
    });

    const messages = deliveryMessagesOf(deliveryRecords(outreachId, emails));
    const first = await sendOutreach(messages);
    const throttledMessage = messages.Records.find((record) => record.body.includes(emailKey('throttled@example.org')))!;
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: throttledMessage.messageId }]);
    expect(await outreachStatus(outreachId)).toMatchObject({ status: 'sending', recipients: 3, sent: 0, failed: 1, skipped: 1 });

    // The queue delivers the throttled message again after its visibility timeout.
    expect((await sendOutreach({ Records: [throttledMessage] })).batchItemFailures).toEqual([]);
    expect(await outreachStatus(outreachId)).toMatchObject({ status: 'done', recipients: 3, sent: 1, failed: 1, skipped: 1 });
    expect(recipientsOf().filter((to) => to === 'rejected@example.org')).toHaveLength(1);
  });
});
