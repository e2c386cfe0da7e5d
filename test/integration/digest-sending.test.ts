import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent, EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutreachRequested } from '#events/outreach.ts';
import { handler as plan } from '#functions/events/plan-outreach.ts';
import { handler as sendOutreach } from '#functions/queues/send-outreach.ts';
import { openCampaignsWithTotals } from '#shared/use-cases/digest-content.ts';
import type * as digestContent from '#shared/use-cases/digest-content.ts';
import { requestDigest } from '#shared/use-cases/outreach-requests.ts';
import { outreachStatus } from '#shared/store/outreach-store.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { confirmSubscription, subscribe } from '#shared/store/subscription-store.ts';
import { keys } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';
import { deliveryMessagesOf } from '#test/support/mail-queues.ts';

vi.mock('#shared/use-cases/digest-content.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof digestContent>();
  return { ...actual, openCampaignsWithTotals: vi.fn(actual.openCampaignsWithTotals) };
});

const ses = mockClient(SESClient);
const send = (event: DynamoDBStreamEvent) => sendOutreach(deliveryMessagesOf(event));

function delivery(outreachId: string, email: string): DynamoDBStreamEvent {
  const subscriberKey = emailKey(email);
  return {
    Records: [
      {
        eventName: 'INSERT',
        dynamodb: { SequenceNumber: '1', NewImage: marshall({ ...keys.delivery(outreachId, subscriberKey), type: 'delivery', outreachId, subscriberKey, status: 'queued' }) as never },
      },
    ],
  };
}

describe('sending a digest', () => {
  beforeAll(async () => {
    await useTestTable('digest-sending');
    process.env.SES_RATE_PER_SECOND = '1000';
    process.env.AWS_ENDPOINT_URL_SES = 'http://127.0.0.1:9';
  });

  it('reads the open campaigns again when the first read failed, rather than failing every later delivery', async () => {
    const email = 'reader@example.org';
    await subscribe({ email, urgent: false, digest: 'weekly', countries: [], topics: [] });
    await confirmSubscription(keys.subscriber(emailKey(email)));
    const { outreachId } = await requestDigest('2026-W10', 'test');
    await plan({ detail: { outreachId, kind: 'digest' } } as EventBridgeEvent<string, OutreachRequested>);
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm' });

    vi.mocked(openCampaignsWithTotals).mockRejectedValueOnce(Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    expect((await send(delivery(outreachId, email))).batchItemFailures).toHaveLength(1);
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);

    // The queue delivers the message again, to the same container.
    await send(delivery(outreachId, email));
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
    expect(await outreachStatus(outreachId)).toMatchObject({ sent: 1, failed: 0 });
  });
});
