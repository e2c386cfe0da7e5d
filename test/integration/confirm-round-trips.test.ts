import { UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { confirm } from '#shared/use-cases/confirmation.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { confirmEndorsement, endorsementId, recordEndorsement } from '#shared/store/endorsement-store.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { confirmSubscription, subscribe } from '#shared/store/subscription-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { deriveToken, issueToken } from '#shared/store/token-store.ts';
import { useTestTable } from '#test/support/test-table.ts';

let slug: string;

/** The round trips `work` makes to the table. */
async function roundTrips<T>(work: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const send = vi.spyOn(db(), 'send');
  try {
    const result = await work();
    return { result, calls: send.mock.calls.length };
  } finally {
    send.mockRestore();
  }
}

async function item(key: { pk: string; sk: string }) {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
}

describe('confirming', () => {
  beforeAll(async () => {
    await useTestTable('confirm-round-trips');
    slug = (await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'One round trip' }), { status: 'open' })).slug;
  });
  afterEach(() => vi.restoreAllMocks());

  it('relies on DynamoDB returning the item that failed the condition', async () => {
    const key = keys.signature(slug, emailKey('probe@example.org'));
    await recordSignature(slug, { name: 'Probe', email: 'probe@example.org', country: 'MA', public: false, subscribe: false });
    const update = (pk: string) =>
      new UpdateItemCommand({
        TableName: tableName(),
        Key: { pk: { S: pk }, sk: { S: key.sk } },
        UpdateExpression: 'SET confirmedAt = :at',
        ConditionExpression: '#status = :nope',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':at': { S: 'now' }, ':nope': { S: 'nope' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    const failure = async (pk: string) => (await db().send(update(pk)).catch((error: unknown) => error)) as { name: string; Item?: Record<string, AttributeValue> };
    expect(await failure(key.pk)).toMatchObject({ name: 'ConditionalCheckFailedException', Item: { pk: { S: key.pk }, status: { S: 'pending' } } });
    expect((await failure(`${key.pk}-missing`)).Item).toBeUndefined();
  });

  it('a signature costs one round trip, whether it confirms, was confirmed or is missing', async () => {
    const key = keys.signature(slug, emailKey('once@example.org'));
    await recordSignature(slug, { name: 'Once', email: 'once@example.org', country: 'MA', public: false, subscribe: false });
    expect(await roundTrips(() => confirmSignature(key))).toEqual({ result: 'confirmed', calls: 1 });
    expect(await roundTrips(() => confirmSignature(key))).toEqual({ result: 'already-confirmed', calls: 1 });
    expect(await roundTrips(() => confirmSignature(keys.signature(slug, 'nobody')))).toEqual({ result: 'missing', calls: 1 });
    expect(await item(key)).toMatchObject({ status: 'confirmed', confirmedAt: expect.any(String) as unknown });
    expect(await item(key)).not.toHaveProperty('expiresAt');
  });

  it('a subscription and an endorsement cost one round trip too', async () => {
    const subscriber = keys.subscriber(emailKey('reader@example.org'));
    await subscribe({ email: 'reader@example.org', urgent: true, digest: 'weekly', countries: [], topics: [] });
    expect(await roundTrips(() => confirmSubscription(subscriber))).toEqual({ result: 'confirmed', calls: 1 });
    expect(await roundTrips(() => confirmSubscription(subscriber))).toEqual({ result: 'already-confirmed', calls: 1 });
    expect(await roundTrips(() => confirmSubscription(keys.subscriber('nobody')))).toEqual({ result: 'missing', calls: 1 });
    expect(await item(subscriber)).toMatchObject({ status: 'confirmed', gsi1pk: 'SUBSCRIBERS#confirmed', gsi1sk: emailKey('reader@example.org') });

    const input = { organisation: 'Friends of the Rif', country: 'MA', email: 'contact@example.org' };
    const endorsement = keys.endorsement(endorsementId(slug, input));
    await recordEndorsement(slug, input);
    expect(await roundTrips(() => confirmEndorsement(endorsement))).toEqual({ result: 'confirmed', calls: 1 });
    expect(await roundTrips(() => confirmEndorsement(endorsement))).toEqual({ result: 'already-confirmed', calls: 1 });
    expect(await roundTrips(() => confirmEndorsement(keys.endorsement('nobody')))).toEqual({ result: 'missing', calls: 1 });
    expect(await item(endorsement)).toMatchObject({ status: 'pending', gsi2pk: 'ENDORSEMENTS#pending' });
  });

  it('a signer who asked for updates confirms their subscription with the same click, without reading the signature again', async () => {
    const email = 'updates@example.org';
    const key = keys.signature(slug, emailKey(email));
    await recordSignature(slug, { name: 'Updates', email, country: 'MA', public: false, subscribe: true });
    await subscribe({ email, urgent: true, digest: 'weekly', countries: [], topics: [] }, { confirmedBy: key });
    const token = deriveToken(key.pk, String((await item(key))?.requestId));
    await issueToken(token, 'signature', key);
    // The token, the signature, the subscription.
    expect(await roundTrips(() => confirm(token))).toEqual({ result: { status: 'confirmed', kind: 'signature' }, calls: 3 });
    expect(await item(keys.subscriber(emailKey(email)))).toMatchObject({ status: 'confirmed' });
  });

  it('a later link of a signer who asked for updates still confirms the subscription, from the item the click found', async () => {
    const email = 'second-link@example.org';
    const key = keys.signature(slug, emailKey(email));
    await recordSignature(slug, { name: 'Second Link', email, country: 'MA', public: false, subscribe: true });
    await subscribe({ email, urgent: true, digest: 'weekly', countries: [], topics: [] }, { confirmedBy: key });
    const token = deriveToken(key.pk, String((await item(key))?.requestId));
    await issueToken(token, 'signature', key);
    await confirmSignature(key);
    expect(await confirm(token)).toEqual({ status: 'confirmed', kind: 'signature' });
    expect(await item(keys.subscriber(emailKey(email)))).toMatchObject({ status: 'confirmed' });
  });
});
