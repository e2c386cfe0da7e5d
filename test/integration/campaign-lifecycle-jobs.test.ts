import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as anonymiseClosed } from '#functions/schedules/anonymise-closed-campaigns.ts';
import { handler as closeExpired } from '#functions/schedules/close-expired-campaigns.ts';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { countConfirmations } from '#shared/store/counting.ts';
import { partitions } from '#shared/store/layout.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { transitionCampaign } from '#shared/store/campaign-store.ts';
import { handler as detectMilestones } from '#functions/streams/route-changes.ts';
import { createCampaign, getCampaign } from '#shared/store/campaign-store.ts';
import { claimMilestone } from '#shared/store/counter-store.ts';
import { useTestTable } from '#test/support/test-table.ts';

const campaignInput = { kind: 'petition' as const, summary: '', body: '', demands: [], locale: 'en', translations: {}, countries: [], topics: [], urgent: false };
const eventBridge = mockClient(EventBridgeClient);

function counterChange(slug: string, before: Record<string, unknown>, after: Record<string, unknown>): DynamoDBStreamEvent {
  const base = { pk: `CAMPAIGN#${slug}`, sk: 'COUNTER', type: 'counter', byCountry: {} };
  return {
    Records: [
      {
        eventName: 'MODIFY',
        dynamodb: {
          SequenceNumber: '1',
          OldImage: marshall({ ...base, ...before }) as never,
          NewImage: marshall({ ...base, ...after }) as never,
        },
      },
    ],
  };
}

describe('scheduled and stream-driven campaign jobs', () => {
  beforeAll(async () => {
    await useTestTable('lifecycle');
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = 'http://127.0.0.1:9';
  });
  afterEach(() => eventBridge.reset());

  it('closes open campaigns whose closesAt has passed, and only those', async () => {
    const past = await createCampaign({ ...campaignInput, title: 'Already over', closesAt: new Date(Date.now() - 60_000).toISOString() }, { status: 'open' });
    const future = await createCampaign({ ...campaignInput, title: 'Still running', closesAt: new Date(Date.now() + 3_600_000).toISOString() }, { status: 'open' });
    const result = await closeExpired();
    expect(result.closed).toContain(past.slug);
    expect(result.closed).not.toContain(future.slug);
    expect((await getCampaign(past.slug)).status).toBe('closed');
    expect((await getCampaign(future.slug)).status).toBe('open');
    expect((await closeExpired()).closed).not.toContain(past.slug);
  });

  it('claims each milestone once, however often the counter change is delivered', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Towards a goal', goal: 100 });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const change = counterChange(slug, { signatures: 20, offset: 0 }, { signatures: 51, offset: 0 });
    await detectMilestones(change);
    await detectMilestones(change);
    expect(await claimMilestone(slug, 25)).toBe(false);
    expect(await claimMilestone(slug, 50)).toBe(false);
    expect(await claimMilestone(slug, 75)).toBe(true);
  });

  it('puts MilestoneReached on the bus when a claim appears on the counter', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Half way', goal: 10 });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    await detectMilestones(counterChange(slug, { signatures: 5, offset: 0, milestones: new Set([3]) }, { signatures: 5, offset: 0, milestones: new Set([3, 5]) }));
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const entry = calls[0]!.args[0].input.Entries?.[0];
    expect(entry?.DetailType).toBe('MilestoneReached');
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({ milestoneId: `${slug}:5`, threshold: 5, kind: 'goal-share', goalPercent: 50 });
  });

  it('anonymises the signers of campaigns closed longer than the retention period, keeping the counts', async () => {
    const { slug } = await createCampaign({ ...campaignInput, title: 'Long closed' }, { status: 'open' });
    const key = keys.signature(slug, emailKey('old@example.org'));
    await recordSignature(slug, { name: 'Old Signer', email: 'old@example.org', country: 'MA', comment: 'private', public: true, subscribe: false });
    await confirmSignature(key);
    await countConfirmations([{ campaign: slug, key, counter: 'signatures', country: 'MA', listing: { gsi2pk: `CONFIRMED#${slug}`, gsi2sk: '1' } }]);
    await transitionCampaign(slug, ['open'], 'closed');
    const { slug: recent } = await createCampaign({ ...campaignInput, title: 'Recently closed' }, { status: 'closed' });
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.campaign(slug), UpdateExpression: 'SET closedAt = :at', ExpressionAttributeValues: { ':at': '2020-01-01T00:00:00.000Z' } }));

    const result = await anonymiseClosed();
    expect(result.anonymised).toContain(slug);
    expect(result.anonymised).not.toContain(recent);
    // The signature left its signer's key: an anonymous item keeps only what the counts need.
    expect((await db().send(new GetCommand({ TableName: tableName(), Key: key }))).Item).toBeUndefined();
    // Its anonymous copy is in the export index, in the shard of its new id.
    const remains = { Items: [] as Record<string, unknown>[] };
    for (const partition of partitions.allCountedSignatures(slug)) {
      const page = await db().send(
        new QueryCommand({ TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': partition } }),
      );
      remains.Items.push(...(page.Items ?? []));
    }
    expect(remains.Items).toHaveLength(1);
    expect(remains.Items[0]).toMatchObject({ status: 'erased', country: 'MA', campaign: slug });
    for (const personal of ['name', 'email', 'comment', 'postcode', 'gsi3pk', 'confirmedAt']) expect(remains.Items[0]).not.toHaveProperty(personal);
    expect((await getCampaign(slug)).anonymisedAt).toBeDefined();
    expect((await anonymiseClosed()).anonymised).not.toContain(slug);
  });
});
