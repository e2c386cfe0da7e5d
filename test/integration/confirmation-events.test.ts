import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { putConnector } from '#shared/store/connector-store.ts';
import { recordApprovedEndorsement } from '#shared/store/endorsement-store.ts';
import { createWebhook, sealSecret } from '#shared/store/webhook-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { useLocalBus } from '#test/support/local-bus.ts';
import { useTestTable } from '#test/support/test-table.ts';

/**
 * CountConfirmations announces what it counted (SignatureConfirmed), after counting it, when someone listens (a
 * webhook for the event, a connector of the campaign): a bus that refuses the event fails the record, which comes
 * again, counts nothing twice and is announced then.
 */

let bus: Awaited<ReturnType<typeof useLocalBus>>;
const { handler: countConfirmations } = await import('#functions/streams/count-confirmations.ts');

let sequence = 0;
async function confirmingRecord(slug: string, email: string): Promise<DynamoDBRecord> {
  const key = keys.signature(slug, emailKey(email));
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: key }));
  return {
    eventID: `e${++sequence}`,
    eventName: 'MODIFY',
    dynamodb: {
      SequenceNumber: String(sequence),
      Keys: marshall(key) as never,
      NewImage: marshall(Item!, { removeUndefinedValues: true }) as never,
      OldImage: marshall({ ...Item!, status: 'pending' }, { removeUndefinedValues: true }) as never,
    },
  };
}

const failedIds = (answer: unknown) => (answer as { batchItemFailures: { itemIdentifier: string }[] }).batchItemFailures.map((f) => f.itemIdentifier);

describe('CountConfirmations announces what it counted', () => {
  beforeAll(async () => {
    await useTestTable('confirmation-events');
    bus = await useLocalBus();
  });

  afterAll(async () => {
    await bus?.close();
  });

  // In order: nobody listens, then a campaign's connector, then a webhook for every campaign.

  /** Signs and confirms, then hands the confirming record to CountConfirmations; answers the campaign's announcements. */
  async function countOne(title: string, email: string, country = 'MA'): Promise<{ slug: string; announced: Record<string, unknown>[] }> {
    const campaign = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title }), { status: 'open' });
    await recordSignature(campaign.slug, { name: 'Salma', email, country, public: false, subscribe: false });
    await confirmSignature(keys.signature(campaign.slug, emailKey(email)));
    const record = await confirmingRecord(campaign.slug, email);
    expect(failedIds(await countConfirmations({ Records: [record] } as DynamoDBStreamEvent))).toEqual([]);
    expect((await getCounts(campaign.slug, undefined)).signatures).toBe(1);
    await bus.drain();
    const announced = bus.events.filter((e) => e['detail-type'] === 'SignatureConfirmed' && (e.detail as { slug: string }).slug === campaign.slug);
    return { slug: campaign.slug, announced: announced as unknown as Record<string, unknown>[] };
  }

  it('counts a confirmation and announces nothing while no webhook or connector listens', async () => {
    const { announced } = await countOne('Unheard', 'nobody.listens@example.org');
    expect(announced).toEqual([]);
  });

  it("announces a confirmation to its campaign's connector, and only for that campaign", async () => {
    const heard = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Connected' }), { status: 'open' });
    await putConnector(heard.slug, { partner: 'amnesty-ma', petitionId: 'p-1', tags: [], secretName: 'tadamon/test/action-network/x' }, 'operator', new Date());
    await recordSignature(heard.slug, { name: 'Amal', email: 'amal.connected@example.org', country: 'MA', public: false, subscribe: false });
    await confirmSignature(keys.signature(heard.slug, emailKey('amal.connected@example.org')));
    const record = await confirmingRecord(heard.slug, 'amal.connected@example.org');
    expect(failedIds(await countConfirmations({ Records: [record] } as DynamoDBStreamEvent))).toEqual([]);
    await bus.drain();
    expect(bus.events.filter((e) => e['detail-type'] === 'SignatureConfirmed' && (e.detail as { slug: string }).slug === heard.slug)).toHaveLength(1);
    expect((await countOne('Not connected', 'not.connected@example.org')).announced).toEqual([]);

    // A connector takes signatures only: the campaign's approved endorsement is counted, and not announced.
    await recordApprovedEndorsement(heard.slug, { organisation: 'Rabat Solidarity', country: 'MA' });
    const { Items } = await db().send(
      new ScanCommand({ TableName: tableName(), FilterExpression: '#type = :type AND campaign = :slug', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':type': 'endorsement', ':slug': heard.slug } }),
    );
    const endorsement = Items![0]!;
    const approval: DynamoDBRecord = {
      eventID: `e${++sequence}`,
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: String(sequence), Keys: marshall({ pk: endorsement.pk, sk: endorsement.sk }) as never, NewImage: marshall(endorsement, { removeUndefinedValues: true }) as never },
    };
    expect(failedIds(await countConfirmations({ Records: [approval] } as DynamoDBStreamEvent))).toEqual([]);
    expect((await getCounts(heard.slug, undefined)).endorsements).toBe(1);
    await bus.drain();
    expect(bus.events.filter((e) => e['detail-type'] === 'EndorsementApproved')).toEqual([]);
  });

  it('puts SignatureConfirmed for a counted signature once a webhook listens, with ids and no address', async () => {
    await createWebhook({ id: 'listens', url: 'https://example.org/h', events: ['SignatureConfirmed'], createdAt: '2036-01-01T00:00:00.000Z', createdBy: 'op', sealedSecret: sealSecret('listens', 's') });
    const { announced } = await countOne('Announced', 'salma.announced@example.org');
    expect(announced).toHaveLength(1);
    expect(announced[0]!.detail).toMatchObject({ emailKey: emailKey('salma.announced@example.org'), country: 'MA' });
    expect(JSON.stringify(announced[0])).not.toContain('salma.announced');
  });

  it('fails the record when the bus refuses it, and on its return announces it without counting it twice', async () => {
    const campaign = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Refused, then announced' }), { status: 'open' });
    await recordSignature(campaign.slug, { name: 'Youssef', email: 'youssef.refused@example.org', country: 'TN', public: false, subscribe: false });
    await confirmSignature(keys.signature(campaign.slug, emailKey('youssef.refused@example.org')));
    const record = await confirmingRecord(campaign.slug, 'youssef.refused@example.org');

    bus.refuse(true);
    expect(failedIds(await countConfirmations({ Records: [record] } as DynamoDBStreamEvent))).toEqual([record.dynamodb!.SequenceNumber]);
    expect((await getCounts(campaign.slug, undefined)).signatures).toBe(1);

    bus.refuse(false);
    expect(failedIds(await countConfirmations({ Records: [record] } as DynamoDBStreamEvent))).toEqual([]);
    expect((await getCounts(campaign.slug, undefined)).signatures).toBe(1);
    await bus.drain();
    expect(bus.events.filter((e) => e['detail-type'] === 'SignatureConfirmed' && (e.detail as { slug: string }).slug === campaign.slug)).toHaveLength(1);
  });
});
