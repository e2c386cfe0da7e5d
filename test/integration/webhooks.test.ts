import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalApiDestinations, type ApiDestinationState } from '#infra/local/api-destinations.ts';
import { EventBus, type FailedDelivery } from '#infra/local/event-bus.ts';
import { JsonLines, StateFile } from '#infra/local/state-file.ts';
import { resetConfig } from '#shared/config.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import { maxWebhooks } from '#shared/domain/webhook.ts';
import { keys } from '#shared/store/layout.ts';
import { db, tableName } from '#shared/store/table.ts';
import {
  createWebhook,
  deleteWebhook,
  getDelivery,
  listDeliveries,
  listWebhooks,
  openSecret,
  recordOutcome,
  sealSecret,
} from '#shared/store/webhook-store.ts';
import { forgetWebhooks, replayDelivery, signDeliveries } from '#shared/use-cases/webhook-deliveries.ts';
import { createDestination, deleteDestination, resourceName } from '#shared/webhooks/destinations.ts';
import type { SourceEvent } from '#shared/webhooks/payloads.ts';
import { verifies } from '#shared/webhooks/signing.ts';
import { eventually } from '#test/support/local-process.ts';
import { useTestTable } from '#test/support/test-table.ts';

const { handler: recordDeadLetters } = await import('#functions/queues/record-webhook-dead-letters.ts');

/** Webhooks on DynamoDB Local and the local bus's API destinations, with a receiver on this machine. */

const received: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let receiver: http.Server;
let receiverUrl: string;
let bus: EventBus;
const destinations = new StateFile<ApiDestinationState>(undefined, LocalApiDestinations.initialState());

const published = (slug: string, at: string): SourceEvent => ({
  detailType: 'CampaignPublished',
  detail: { slug, kind: 'petition', title: 'Free them all', urgent: false, countries: ['MA'], topics: [], publishedAt: at },
});

async function addWebhook(id: string, events: SourceEvent['detailType'][], path = '/ok', partner?: string) {
  const webhook = { id, url: `${receiverUrl}${path}`, events, ...(partner ? { partner } : {}), createdAt: new Date().toISOString(), createdBy: 'operator' };
  await createWebhook({ ...webhook, sealedSecret: sealSecret(id, `whsec_${id}`) });
  await createDestination(webhook);
  // The signer reads the webhooks at most every 10 s; this suite adds them between events.
  forgetWebhooks();
  return webhook;
}

async function removeWebhook(id: string) {
  await deleteDestination(id);
  await deleteWebhook(id);
}

describe('webhooks on the single table and the local bus', () => {
  beforeAll(async () => {
    await useTestTable('webhooks');
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(req.url === '/gone' ? 410 : 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    bus = new EventBus(
      [],
      new JsonLines<FailedDelivery>(undefined),
      new LocalApiDestinations({
        state: destinations,
        backoffMs: 10,
        onAttempt: async ({ event, outcome, statusCode, error }) => {
          const { webhookId, deliveryId } = event.detail as { webhookId: string; deliveryId: string };
          await recordOutcome(webhookId, deliveryId, { status: outcome, attempt: true, statusCode, error, at: new Date() });
        },
      }),
    );
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = `http://127.0.0.1:${await bus.listen()}`;
    process.env.EVENT_BUS_NAME = 'tadamon-test';
    resetConfig();
  });

  afterAll(async () => {
    await bus?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it(`keeps at most ${maxWebhooks} webhooks, and gives a place back when one is deleted`, async () => {
    const before = (await listWebhooks()).length;
    const ids = Array.from({ length: maxWebhooks - before }, (_, i) => `cap${i}`);
    for (const id of ids) await createWebhook({ id, url: 'https://example.org/h', events: ['CampaignClosed'], createdAt: '2036-01-01T00:00:00.000Z', createdBy: 'op', sealedSecret: sealSecret(id, 's') });
    await expect(createWebhook({ id: 'one-more', url: 'https://example.org/h', events: ['CampaignClosed'], createdAt: '2036-01-01T00:00:00.000Z', createdBy: 'op', sealedSecret: sealSecret('one-more', 's') })).rejects.toBeInstanceOf(ConflictError);
    expect(await deleteWebhook(ids[0]!)).toBe(true);
    expect(await deleteWebhook(ids[0]!)).toBe(false);
    await createWebhook({ id: 'one-more', url: 'https://example.org/h', events: ['CampaignClosed'], createdAt: '2036-01-01T00:00:00.000Z', createdBy: 'op', sealedSecret: sealSecret('one-more', 's') });
    for (const id of [...ids.slice(1), 'one-more']) await deleteWebhook(id);
    expect(await listWebhooks()).toHaveLength(before);
  });

  it('stores the secret sealed, bound to its webhook', async () => {
    const sealed = sealSecret('w-sealed', 'whsec_secret');
    await createWebhook({ id: 'w-sealed', url: 'https://example.org/h', events: ['CampaignClosed'], createdAt: '2036-01-01T00:00:00.000Z', createdBy: 'op', sealedSecret: sealed });
    const [stored] = (await listWebhooks()).filter((w) => w.id === 'w-sealed');
    expect(JSON.stringify(stored)).not.toContain('whsec_secret');
    expect(openSecret(stored!)).toBe('whsec_secret');
    expect(() => openSecret({ ...stored!, id: 'another' })).toThrow();
    await deleteWebhook('w-sealed');
  });

  it('records one delivery per webhook and event: a redelivered event sends nothing again', async () => {
    const hook = await addWebhook('w-once', ['CampaignPublished']);
    const event = published('once', '2036-02-01T10:00:00.000Z');
    expect(await signDeliveries(event, new Date('2036-02-01T10:00:01.000Z'))).toEqual({ sent: 1, skipped: 0 });
    expect(await signDeliveries(event, new Date('2036-02-01T10:00:09.000Z'))).toEqual({ sent: 0, skipped: 1 });
    const delivery = await eventually(async () => {
      const { items } = await listDeliveries(hook.id, { limit: 10 });
      return items[0]?.status === 'delivered' ? items[0] : undefined;
    });
    expect(delivery).toMatchObject({ type: 'CampaignPublished', attempts: 1, statusCode: 200, replays: 0 });
    await bus.drain();
    const posts = received.filter((r) => r.headers['tadamon-event-id'] === delivery.eventId);
    expect(posts).toHaveLength(1);
    expect(verifies('whsec_w-once', String(posts[0]!.headers['tadamon-timestamp']), posts[0]!.body, String(posts[0]!.headers['tadamon-signature']))).toBe(true);
    expect(posts[0]!.headers['tadamon-webhook-id']).toBe('w-once');
    await removeWebhook(hook.id);
  });

  it('replays a delivery under its event id, newly signed, and counts the replay', async () => {
    const hook = await addWebhook('w-replay', ['CampaignPublished']);
    await signDeliveries(published('replayed', '2036-02-02T10:00:00.000Z'), new Date('2036-02-02T10:00:00.000Z'));
    const first = await eventually(async () => (await listDeliveries(hook.id, { limit: 10 })).items.find((d) => d.status === 'delivered'));
    const again = await replayDelivery(hook.id, first.id, new Date('2036-02-02T11:00:00.000Z'));
    expect(again).toMatchObject({ id: first.id, eventId: first.eventId, replays: 1 });
    await bus.drain();
    const posts = received.filter((r) => r.headers['tadamon-event-id'] === first.eventId);
    expect(posts.map((p) => p.headers['tadamon-timestamp'])).toEqual([String(Date.parse('2036-02-02T10:00:00Z') / 1000), String(Date.parse('2036-02-02T11:00:00Z') / 1000)]);
    expect(posts[0]!.body).toBe(posts[1]!.body);
    expect(posts[0]!.headers['tadamon-signature']).not.toBe(posts[1]!.headers['tadamon-signature']);
    expect(await getDelivery(hook.id, first.id)).toMatchObject({ status: 'delivered', attempts: 2, replays: 1 });
    await removeWebhook(hook.id);
  });

  it('dead-letters at once what a receiver refuses for good (4xx), as EventBridge does', async () => {
    const hook = await addWebhook('w-gone', ['CampaignPublished'], '/gone');
    await signDeliveries(published('gone', '2036-02-03T10:00:00.000Z'), new Date('2036-02-03T10:00:00.000Z'));
    const delivery = await eventually(async () => (await listDeliveries(hook.id, { limit: 10 })).items.find((d) => d.status === 'dead-lettered'));
    expect(delivery).toMatchObject({ attempts: 1, statusCode: 410, lastError: 'HTTP 410' });
    await removeWebhook(hook.id);
  });

  it('reads a SignatureConfirmed signer from the table, within the consent given to the partner', async () => {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.signature('consents', 'k-salma'),
          type: 'signature',
          id: '01jsalma',
          status: 'confirmed',
          campaign: 'consents',
          name: 'Salma',
          email: 'salma@example.org',
          country: 'MA',
          locale: 'fr',
          confirmedAt: '2036-02-04T10:00:00.000Z',
          partnerConsents: { 'amnesty-ma': { at: '2036-02-04T09:59:00.000Z', text: 'Tenez-moi informée', locale: 'fr' } },
        },
      }),
    );
    const opted = await addWebhook('w-amnesty', ['SignatureConfirmed'], '/amnesty', 'amnesty-ma');
    const other = await addWebhook('w-other', ['SignatureConfirmed'], '/other', 'other-org');
    await signDeliveries(
      { detailType: 'SignatureConfirmed', detail: { signatureId: '01jsalma', slug: 'consents', emailKey: 'k-salma', country: 'MA', confirmedAt: '2036-02-04T10:00:00.000Z' } },
      new Date('2036-02-04T10:00:01.000Z'),
    );
    await bus.drain();
    const body = (path: string) => JSON.parse(received.find((r) => r.path === path)!.body) as { data: Record<string, unknown> };
    expect(body('/amnesty').data).toMatchObject({ email: 'salma@example.org', consent: { partner: 'amnesty-ma', text: 'Tenez-moi informée' } });
    expect(body('/other').data).toEqual({ campaign: 'consents', country: 'MA', confirmedAt: '2036-02-04T10:00:00.000Z' });
    await removeWebhook(opted.id);
    await removeWebhook(other.id);
  });

  it('marks a delivery dead-lettered from the EventBridge dead-letter message, with its reasons', async () => {
    const hook = await addWebhook('w-dlq', ['CampaignPublished'], '/ok');
    await signDeliveries(published('dlq', '2036-02-05T10:00:00.000Z'), new Date('2036-02-05T10:00:00.000Z'));
    await bus.drain();
    const [delivery] = (await listDeliveries(hook.id, { limit: 10 })).items;
    const message = { 'detail-type': 'WebhookDelivery', source: 'tadamon', detail: { webhookId: hook.id, deliveryId: delivery!.id } };
    const event = {
      Records: [
        {
          messageId: 'm1',
          body: JSON.stringify(message),
          messageAttributes: {
            ERROR_CODE: { stringValue: 'SDK_CLIENT_ERROR', dataType: 'String' },
            ERROR_MESSAGE: { stringValue: 'Unable to invoke ApiDestination endpoint: The endpoint responded with 503', dataType: 'String' },
            RETRY_ATTEMPTS: { stringValue: '185', dataType: 'String' },
          },
        },
      ],
    } as unknown as SQSEvent;
    expect(await recordDeadLetters(event)).toEqual({ batchItemFailures: [] });
    expect(await getDelivery(hook.id, delivery!.id)).toMatchObject({ status: 'dead-lettered', statusCode: 503, lastError: expect.stringContaining('SDK_CLIENT_ERROR') });
    await removeWebhook(hook.id);
  });

  it('removes the rule, destination and connection of a deleted webhook, so nothing more is sent, even signed from a list read before', async () => {
    const hook = await addWebhook('w-removed', ['CampaignPublished'], '/removed');
    expect(destinations.get().rules[resourceName(hook.id)]).toBeDefined();
    // The signer reads the list (with this webhook) and keeps it for its next events.
    await signDeliveries(published('before', '2036-02-06T09:00:00.000Z'), new Date('2036-02-06T09:00:00.000Z'));
    await bus.drain();
    expect(received.filter((r) => r.path === '/removed')).toHaveLength(1);
    await removeWebhook(hook.id);
    expect(destinations.get()).toEqual(expect.objectContaining({ rules: {}, destinations: {}, connections: {} }));
    expect(await signDeliveries(published('after', '2036-02-06T10:00:00.000Z'), new Date('2036-02-06T10:00:00.000Z'))).toEqual({ sent: 1, skipped: 0 });
    await bus.drain();
    expect(received.filter((r) => r.path === '/removed')).toHaveLength(1);
    // Deleting again finds nothing and fails nothing.
    await deleteDestination(hook.id);
  });
});
