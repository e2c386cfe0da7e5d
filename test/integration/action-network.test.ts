import { readFile } from 'node:fs/promises';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2, EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SignatureConfirmed } from '#events/signature-confirmed.ts';
import { handler as listConnectors } from '#functions/http/admin/list-connectors.ts';
import { handler as listDeliveries } from '#functions/http/admin/list-connector-deliveries.ts';
import { handler as removeActionNetwork } from '#functions/http/admin/remove-action-network.ts';
import { handler as setActionNetwork } from '#functions/http/admin/set-action-network.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { LocalSecretsManager, type SecretsState } from '#infra/local/secrets-manager.ts';
import { StateFile } from '#infra/local/state-file.ts';
import { resetConfig } from '#shared/config.ts';
import { readConnectorKey, resetConnectorKeys } from '#shared/connectors/connector-keys.ts';
import { campaignInputSchema, type Campaign } from '#shared/domain/campaign.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import type { PartnerConsents } from '#shared/domain/partners.ts';
import type { HttpHandler } from '#shared/http/handler.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { claimConnectorRequest } from '#shared/store/connector-pace-store.ts';
import { claimDelivery, getDelivery, listConnectorDeliveries } from '#shared/store/connector-store.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { campaignConnectors, removeActionNetworkConnector, setActionNetworkConnector } from '#shared/use-cases/action-network-connectors.ts';
import { DeliveriesToRetry, defaultPushOptions, forgetConnectorKeys, pushToActionNetwork, type PushOptions } from '#shared/use-cases/push-to-action-network.ts';
import { ActionNetworkStandIn } from '#test/support/action-network-stand-in.ts';
import { httpEvent } from '#test/support/http-event.ts';
import { useTestTable } from '#test/support/test-table.ts';

const secrets = new LocalSecretsManager(new StateFile<SecretsState>(undefined, { secrets: {} }));
const actionNetwork = new ActionNetworkStandIn();
const amnestyKey = 'amnesty0123456789abcdef';
const ligueKey = 'ligue0123456789abcdef01';
/** Backoff waits recorded, not slept through: what is tested is how many tries and what they left, not time. */
const waits: number[] = [];
const options: PushOptions = {
  ...defaultPushOptions,
  sleep: (ms) => {
    waits.push(ms);
    return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)));
  },
};

let n = 0;
async function campaignWithPartners(): Promise<Campaign> {
  return createCampaign(
    campaignInputSchema.parse({
      kind: 'petition',
      title: `Free them ${++n}`,
      partners: [
        { id: 'amnesty-ma', name: 'Amnesty Maroc' },
        { id: 'ligue-ma', name: 'Ligue marocaine' },
      ],
    }),
    { status: 'open' },
  );
}

/** A signature recorded with these consents and confirmed by its link: the event CountConfirmations puts. */
async function confirmedSignature(slug: string, email: string, consents: string[]): Promise<SignatureConfirmed> {
  const partnerConsents: PartnerConsents = Object.fromEntries(consents.map((p) => [p, { at: '2036-03-01T10:00:00.000Z', text: `Keep me informed by ${p}`, locale: 'fr' }]));
  await recordSignature(slug, { name: 'Salma Ben Ali', email, country: 'MA', public: false, subscribe: false, locale: 'fr', ...(consents.length ? { partnerConsents } : {}) });
  const key = keys.signature(slug, emailKey(email));
  await confirmSignature(key);
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return { signatureId: String(Item!.id), slug, emailKey: emailKey(email), country: 'MA', confirmedAt: '2036-03-01T10:05:00.000Z' };
}

async function connect(campaign: Campaign, partner: 'amnesty-ma' | 'ligue-ma'): Promise<string> {
  const petitionId = actionNetwork.petition(partner === 'amnesty-ma' ? amnestyKey : ligueKey);
  await setActionNetworkConnector(campaign.slug, partner, { petitionId, apiKey: partner === 'amnesty-ma' ? amnestyKey : ligueKey, tags: ['tadamon'] }, 'op-1', new Date());
  return petitionId;
}

// Both suites use the table and the stand-ins, whichever runs first.
beforeAll(async () => {
  await useTestTable('action-network');
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = await secrets.listen();
  await actionNetwork.start();
  process.env.ACTION_NETWORK_API_URL = actionNetwork.baseUrl;
  process.env.ACTION_NETWORK_RATE_PER_SECOND = '50';
  resetConfig();
  resetConnectorKeys();
});

afterAll(async () => {
  await actionNetwork.stop();
  await secrets.close();
});

describe('Action Network connector: consented, confirmed signatures to a partner\'s petition', () => {
  beforeEach(() => {
    actionNetwork.reset();
    waits.length = 0;
    forgetConnectorKeys();
  });

  it('POSTs one consented signature to the partner\'s petition in the documented shape, with the key kept in Secrets Manager', async () => {
    const campaign = await campaignWithPartners();
    const petitionId = await connect(campaign, 'amnesty-ma');
    const event = await confirmedSignature(campaign.slug, 'salma@example.org', ['amnesty-ma']);

    expect(await pushToActionNetwork(event, options)).toEqual({ 'amnesty-ma': 'delivered' });

    expect(actionNetwork.requests).toHaveLength(1);
    const [request] = actionNetwork.requests;
    expect(request).toMatchObject({ method: 'POST', path: `/api/v2/petitions/${petitionId}/signatures/` });
    expect(request!.headers['osdi-api-token']).toBe(amnestyKey);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      identifiers: [`tadamon:${event.signatureId}.amnesty-ma`],
      person: {
        given_name: 'Salma',
        family_name: 'Ben Ali',
        email_addresses: [{ address: 'salma@example.org' }],
        postal_addresses: [{ country: 'MA' }],
        languages_spoken: ['fr'],
      },
      add_tags: ['tadamon'],
      'action_network:referrer_data': { source: `tadamon-${campaign.slug}` },
    });
    expect(await getDelivery({ slug: campaign.slug, partner: 'amnesty-ma', signatureId: event.signatureId })).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastError: null,
    });

    // The key is in the (local) Secrets Manager under the stage's prefix, and nowhere in the table or the listing.
    expect(await readConnectorKey(`tadamon/local/action-network/${campaign.slug}/amnesty-ma`)).toBe(amnestyKey);
    const partition = await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.campaign(campaign.slug).pk } }));
    expect(JSON.stringify(partition.Items)).not.toContain(amnestyKey);
    expect(JSON.stringify(await campaignConnectors(campaign.slug))).not.toMatch(new RegExp(`${amnestyKey}|secretName`));
  });

  it('sends nothing to a partner the signer did not opt in to, nor an unconfirmed signature', async () => {
    const campaign = await campaignWithPartners();
    await connect(campaign, 'amnesty-ma');
    const ligueOnly = await confirmedSignature(campaign.slug, 'karim@example.org', ['ligue-ma']);
    const none = await confirmedSignature(campaign.slug, 'nadia@example.org', []);
    await recordSignature(campaign.slug, { name: 'Youssef', email: 'youssef@example.org', country: 'MA', public: false, subscribe: false, partnerConsents: { 'amnesty-ma': { at: '2036-03-01T10:00:00.000Z', text: 'Keep me informed', locale: 'fr' } } });
    const pending = { ...none, signatureId: 'pending', emailKey: emailKey('youssef@example.org') };

    for (const event of [ligueOnly, none, pending]) expect(await pushToActionNetwork(event, options)).toEqual({});
    expect(actionNetwork.requests).toHaveLength(0);
    expect(await getDelivery({ slug: campaign.slug, partner: 'amnesty-ma', signatureId: ligueOnly.signatureId })).toBeUndefined();
  });

  it('sends each consented partner its own request with its own key, and an event delivered twice only once', async () => {
    const campaign = await campaignWithPartners();
    const amnesty = await connect(campaign, 'amnesty-ma');
    const ligue = await connect(campaign, 'ligue-ma');
    const event = await confirmedSignature(campaign.slug, 'amina@example.org', ['amnesty-ma', 'ligue-ma']);

    expect(await pushToActionNetwork(event, options)).toEqual({ 'amnesty-ma': 'delivered', 'ligue-ma': 'delivered' });
    expect(await pushToActionNetwork(event, options)).toEqual({ 'amnesty-ma': 'skipped', 'ligue-ma': 'skipped' });
    expect(actionNetwork.requests.map((r) => r.headers['osdi-api-token']).sort()).toEqual([amnestyKey, ligueKey].sort());
    expect([...actionNetwork.signatures.keys()].filter((k) => k.endsWith('#amina@example.org')).sort()).toEqual([`${amnesty}#amina@example.org`, `${ligue}#amina@example.org`].sort());
  });

  it('tries a 503 again within the invocation: 503, 503, 200 is delivered with 3 attempts', async () => {
    const campaign = await campaignWithPartners();
    await connect(campaign, 'amnesty-ma');
    const event = await confirmedSignature(campaign.slug, 'hamza@example.org', ['amnesty-ma']);
    actionNetwork.failNext(2, 503);

    expect(await pushToActionNetwork(event, options)).toEqual({ 'amnesty-ma': 'delivered' });
    expect(actionNetwork.requests).toHaveLength(3);
    expect(waits).toEqual([1000, 2000]);
    expect(await getDelivery({ slug: campaign.slug, partner: 'amnesty-ma', signatureId: event.signatureId })).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200 });
  });

  it("waits as long as a 429's Retry-After says", async () => {
    const campaign = await campaignWithPartners();
    await connect(campaign, 'amnesty-ma');
    const event = await confirmedSignature(campaign.slug, 'rim@example.org', ['amnesty-ma']);
    actionNetwork.failNext(1, 429, '3');

    expect(await pushToActionNetwork(event, options)).toEqual({ 'amnesty-ma': 'delivered' });
    expect(waits).toEqual([3000]);
    expect(await getDelivery({ slug: campaign.slug, partner: 'amnesty-ma', signatureId: event.signatureId })).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('records a 400 as failed, without trying again, now or when the event comes again', async () => {
    const campaign = await campaignWithPartners();
    await connect(campaign, 'amnesty-ma');
    const event = await confirmedSignature(campaign.slug, 'omar@example.org', ['amnesty-ma']);
    actionNetwork.failNext(1, 400);

    expect(await pushToActionNetwork(event, options)).toEqual({ 'amnesty-ma': 'failed' });
    expect(await pushToActionNetwork(event, options)).toEqual({ 'amnesty-ma': 'skipped' });
    expect(actionNetwork.requests).toHaveLength(1);
    expect(await getDelivery({ slug: campaign.slug, partner: 'amnesty-ma', signatureId: event.signatureId })).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatus: 400,
      lastError: 'HTTP 400: That email address is not valid.',
    });
  });

  it('leaves a delivery still failing after its tries to Lambda\'s retries (it throws), and delivers it when the event comes again', async () => {
    const campaign = await campaignWithPartners();
    const petitionId = await connect(campaign, 'amnesty-ma');
    const event = await confirmedSignature(campaign.slug, 'ilyas@example.org', ['amnesty-ma']);
    actionNetwork.failNext(3, 503);

    await expect(pushToActionNetwork(event, options)).rejects.toBeInstanceOf(DeliveriesToRetry);
    expect(await getDelivery({ slug: campaign.slug, partner: 'amnesty-ma', signatureId: event.signatureId })).toMatchObject({ status: 'retrying', attempts: 3, lastStatus: 503, lastError: 'HTTP 503: Service unavailable' });

    expect(await pushToActionNetwork(event, options)).toEqual({ 'amnesty-ma': 'delivered' });
    expect(await getDelivery({ slug: campaign.slug, partner: 'amnesty-ma', signatureId: event.signatureId })).toMatchObject({ status: 'delivered', attempts: 4 });
    expect(actionNetwork.signatures.has(`${petitionId}#ilyas@example.org`)).toBe(true);
  });

  it('tries again when Action Network cannot be reached', async () => {
    const campaign = await campaignWithPartners();
    await connect(campaign, 'amnesty-ma');
    const event = await confirmedSignature(campaign.slug, 'sara@example.org', ['amnesty-ma']);
    process.env.ACTION_NETWORK_API_URL = 'http://127.0.0.1:9/api/v2';
    resetConfig();
    try {
      await expect(pushToActionNetwork(event, options)).rejects.toBeInstanceOf(DeliveriesToRetry);
    } finally {
      process.env.ACTION_NETWORK_API_URL = actionNetwork.baseUrl;
      resetConfig();
    }
    expect(await getDelivery({ slug: campaign.slug, partner: 'amnesty-ma', signatureId: event.signatureId })).toMatchObject({ status: 'retrying', attempts: 3, lastStatus: null });
    expect((await getDelivery({ slug: campaign.slug, partner: 'amnesty-ma', signatureId: event.signatureId }))!.lastError).toMatch(/^network error/);
  });

  it('comes back later for a delivery another invocation holds, and takes it over once that one\'s lease has run out', async () => {
    const campaign = await campaignWithPartners();
    await connect(campaign, 'amnesty-ma');
    const event = await confirmedSignature(campaign.slug, 'anas@example.org', ['amnesty-ma']);
    const ids = { slug: campaign.slug, partner: 'amnesty-ma', signatureId: event.signatureId };
    expect(await claimDelivery(ids, new Date(), options.leaseMs)).toBe('claimed');

    await expect(pushToActionNetwork(event, options)).rejects.toBeInstanceOf(DeliveriesToRetry);
    expect(actionNetwork.requests).toHaveLength(0);
    const later = { ...options, now: () => new Date(Date.now() + options.leaseMs + 1000) };
    expect(await pushToActionNetwork(event, later)).toEqual({ 'amnesty-ma': 'delivered' });
    expect(await claimDelivery(ids, new Date(), options.leaseMs)).toBe('done');
  });

  it('leaves a delivery it could not start (Secrets Manager unreachable) to retry, not held', async () => {
    const campaign = await campaignWithPartners();
    await connect(campaign, 'amnesty-ma');
    const event = await confirmedSignature(campaign.slug, 'hiba@example.org', ['amnesty-ma']);
    const endpoint = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER!;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = 'http://127.0.0.1:9';
    resetConnectorKeys();
    try {
      await expect(pushToActionNetwork(event, options)).rejects.toThrow();
    } finally {
      process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = endpoint;
      resetConnectorKeys();
    }
    expect(await getDelivery({ slug: campaign.slug, partner: 'amnesty-ma', signatureId: event.signatureId })).toMatchObject({ status: 'retrying', attempts: 0 });
    expect(await pushToActionNetwork(event, options)).toEqual({ 'amnesty-ma': 'delivered' });
  });

  it('refuses a connector for a partner the campaign does not have, and sends nothing once a connector is removed', async () => {
    const campaign = await campaignWithPartners();
    const petitionId = actionNetwork.petition(amnestyKey);
    await expect(setActionNetworkConnector(campaign.slug, 'greenpeace', { petitionId, apiKey: amnestyKey }, 'op-1', new Date())).rejects.toBeInstanceOf(NotFoundError);

    await connect(campaign, 'amnesty-ma');
    await removeActionNetworkConnector(campaign.slug, 'amnesty-ma');
    await expect(removeActionNetworkConnector(campaign.slug, 'amnesty-ma')).rejects.toBeInstanceOf(NotFoundError);
    const secretName = `tadamon/local/action-network/${campaign.slug}/amnesty-ma`;
    expect(await readConnectorKey(secretName)).toBeUndefined();
    const event = await confirmedSignature(campaign.slug, 'leila@example.org', ['amnesty-ma']);
    expect(await pushToActionNetwork(event, options)).toEqual({});
    expect(actionNetwork.requests).toHaveLength(0);

    // Connected again: the key scheduled for deletion is restored and replaced.
    await connect(campaign, 'amnesty-ma');
    expect(await readConnectorKey(secretName)).toBe(amnestyKey);
    expect(await pushToActionNetwork(event, options)).toEqual({ 'amnesty-ma': 'delivered' });
  });

  it('lists a connector\'s deliveries newest signature first, a page at a time, with no personal data', async () => {
    const campaign = await campaignWithPartners();
    await connect(campaign, 'amnesty-ma');
    const events = [];
    for (const who of ['a', 'b', 'c']) events.push(await confirmedSignature(campaign.slug, `${who}@example.org`, ['amnesty-ma']));
    for (const event of events) await pushToActionNetwork(event, options);

    const first = await listConnectorDeliveries(campaign.slug, 'amnesty-ma', { limit: 2 });
    expect(first.items.map((d) => d.signatureId)).toEqual([events[2]!.signatureId, events[1]!.signatureId]);
    const second = await listConnectorDeliveries(campaign.slug, 'amnesty-ma', { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((d) => d.signatureId)).toEqual([events[0]!.signatureId]);
    expect(JSON.stringify([first, second])).not.toMatch(/example\.org|Salma/);
  });

  it('runs as the event function on a SignatureConfirmed event', async () => {
    const { handler } = await import('#functions/events/push-to-action-network.ts');
    const campaign = await campaignWithPartners();
    await connect(campaign, 'ligue-ma');
    const detail = await confirmedSignature(campaign.slug, 'driss@example.org', ['ligue-ma']);
    const event = { version: '0', id: 'e-1', 'detail-type': 'SignatureConfirmed', source: 'tadamon', account: '0', time: '2036-03-01T10:05:00Z', region: 'local', resources: [], detail } as EventBridgeEvent<string, unknown>;
    expect(await handler(event)).toEqual({ 'ligue-ma': 'delivered' });
    expect(actionNetwork.requests).toHaveLength(1);
  });

  it("takes the contract's sample event (a campaign with no connector: nothing to send), and drops a malformed one", async () => {
    const { handler } = await import('#functions/events/push-to-action-network.ts');
    const sample = JSON.parse(await readFile(new URL('../../events/samples/signature-confirmed.json', import.meta.url), 'utf8')) as EventBridgeEvent<string, unknown>;
    expect(await handler(sample)).toEqual({});
    expect(await handler({ ...sample, detail: { slug: 'x' } })).toEqual({ dropped: 'malformed-detail' });
    expect(actionNetwork.requests).toHaveLength(0);
  });

  it("hands out at most the rate's requests in one second to one connector, each connector its own", async () => {
    const second = Math.floor(Date.UTC(2036, 2, 1) / 1000);
    const claims = [];
    for (let i = 0; i < 6; i++) claims.push(await claimConnectorRequest('free-them#amnesty-ma', second, 4));
    expect(claims).toEqual([true, true, true, true, false, false]);
    expect(await claimConnectorRequest('free-them#ligue-ma', second, 4)).toBe(true);
    expect(await claimConnectorRequest('free-them#amnesty-ma', second + 1, 4)).toBe(true);
  });
});

describe('Action Network connector: the operator routes', () => {
  const token = 'operator-token-for-connector-tests';
  const route = '/admin/campaigns/{slug}/partners/{partner}/action-network';

  async function call(handler: HttpHandler, options: Parameters<typeof httpEvent>[0]) {
    const result = (await handler(
      httpEvent({ ...options, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...options?.headers } }),
      lambdaContext('Connectors', 10),
    )) as APIGatewayProxyStructuredResultV2;
    return { status: result.statusCode, text: String(result.body ?? ''), json: () => JSON.parse(String(result.body)) as Record<string, unknown> };
  }

  beforeAll(() => {
    process.env.ADMIN_TOKEN = token;
    resetConfig();
  });

  it('connects, lists, logs and disconnects, never answering the key; bad input is a 4xx that changes nothing', async () => {
    const campaign = await campaignWithPartners();
    const slug = campaign.slug;
    const petitionId = actionNetwork.petition(amnestyKey);
    const put = (partner: string, body: unknown) => call(setActionNetwork, { method: 'PUT', route, pathParameters: { slug, partner }, body: JSON.stringify(body) });

    const bad = await put('amnesty-ma', { petitionId: 'not-a-uuid', apiKey: amnestyKey });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('petitionId');
    expect((await put('Amnesty MA', { petitionId, apiKey: amnestyKey })).status).toBe(400);
    const unknown = await put('greenpeace', { petitionId, apiKey: amnestyKey });
    expect(unknown.status).toBe(404);
    expect(unknown.text).not.toContain(amnestyKey);
    expect((await call(listConnectors, { route: '/admin/campaigns/{slug}/connectors', pathParameters: { slug } })).json()).toEqual({ items: [] });

    const made = await put('amnesty-ma', { petitionId, apiKey: amnestyKey, tags: ['tadamon'] });
    expect(made.status).toBe(200);
    expect(made.json()).toMatchObject({ type: 'action-network', partner: 'amnesty-ma', petitionId, tags: ['tadamon'] });
    expect(made.text).not.toContain(amnestyKey);
    const listed = await call(listConnectors, { route: '/admin/campaigns/{slug}/connectors', pathParameters: { slug } });
    expect(listed.json()).toMatchObject({ items: [{ partner: 'amnesty-ma', petitionId }] });
    expect(listed.text).not.toMatch(new RegExp(`${amnestyKey}|secretName|tadamon/local`));

    const event = await confirmedSignature(slug, 'zineb@example.org', ['amnesty-ma']);
    await pushToActionNetwork(event, options);
    const deliveries = await call(listDeliveries, { route: `${route}/deliveries`, pathParameters: { slug, partner: 'amnesty-ma' }, query: { limit: '10' } });
    expect(deliveries.json()).toMatchObject({ items: [{ signatureId: event.signatureId, status: 'delivered', attempts: 1 }], nextCursor: null });
    expect((await call(listDeliveries, { route: `${route}/deliveries`, pathParameters: { slug, partner: 'greenpeace' } })).status).toBe(404);

    const removed = await call(removeActionNetwork, { method: 'DELETE', route, pathParameters: { slug, partner: 'amnesty-ma' } });
    expect(removed.json()).toEqual({ partner: 'amnesty-ma', removed: true });
    expect((await call(removeActionNetwork, { method: 'DELETE', route, pathParameters: { slug, partner: 'amnesty-ma' } })).status).toBe(404);
    expect((await call(listConnectors, { route: '/admin/campaigns/{slug}/connectors', pathParameters: { slug } })).json()).toEqual({ items: [] });
  });
});
