import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

/**
 * Webhooks end to end: a partner's receiver on this machine, the local bus's API destinations delivering to it.
 * Signatures are checked here with Web Crypto, not with the code that made them.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-e2e-webhooks-'));
let stack: LocalProcess;
let receiver: http.Server;
let receiverUrl: string;

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
/** How many times each path still answers 500 before it answers 200 (`/down` always fails). */
const failuresLeft = new Map<string, number>([['/flaky', 2]]);

const api = (pathname: string, init: RequestInit = {}) => fetch(`${stack.url}${pathname}`, init);
const asOperator = (pathname: string, method = 'GET', body?: unknown) =>
  api(pathname, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const json = async <T = Record<string, unknown>>(response: Response | Promise<Response>) => (await (await response).json()) as T;

interface Delivery {
  id: string;
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  statusCode?: number;
  lastError?: string;
  replays: number;
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function expectSigned(delivery: Received, secret: string): Promise<void> {
  const timestamp = String(delivery.headers['tadamon-timestamp']);
  expect(timestamp).toMatch(/^\d{10}$/);
  expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(300);
  expect(delivery.headers['tadamon-signature']).toBe(`v1=${await hmacHex(secret, `${timestamp}.${delivery.body}`)}`);
  expect(delivery.headers['content-type']).toMatch(/^application\/json/);
}

async function confirmLinkOf(address: string): Promise<string> {
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.some((to) => to.toLowerCase() === address)));
  return /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')![1]!;
}

const ofType = (path: string, type: string) => received.filter((r) => r.path === path && (JSON.parse(r.body) as { type: string }).type === type);

describe('webhooks: signed deliveries to partners, retried, dead-lettered and replayed', () => {
  let slug: string;
  let own: { id: string; secret: string };
  let partner: { id: string; secret: string };
  let flaky: { id: string };
  let down: { id: string };

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '';
        received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const left = failuresLeft.get(path) ?? 0;
        if (path === '/down' || left > 0) {
          failuresLeft.set(path, left - 1);
          res.writeHead(503).end('busy');
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0' });
    slug = (await json<{ slug: string }>(asOperator('/admin/campaigns', 'POST', { kind: 'petition', title: 'Freedom for the Ouarzazate strikers', countries: ['MA'] }))).slug;
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds webhooks, answers each secret once, and refuses bad ones with a problem', async () => {
    const created = await asOperator('/admin/webhooks', 'POST', { url: `${receiverUrl}/own`, events: ['SignatureConfirmed', 'CampaignPublished', 'CampaignClosed'] });
    expect(created.status).toBe(201);
    own = await json<{ id: string; secret: string }>(created);
    expect(own.secret).toMatch(/^whsec_/);
    partner = await json(asOperator('/admin/webhooks', 'POST', { url: `${receiverUrl}/partner`, events: ['SignatureConfirmed'], partner: 'amdh-rabat' }));
    flaky = await json(asOperator('/admin/webhooks', 'POST', { url: `${receiverUrl}/flaky`, events: ['CampaignPublished'] }));
    down = await json(asOperator('/admin/webhooks', 'POST', { url: `${receiverUrl}/down`, events: ['CampaignPublished'] }));

    const listed = await json<{ items: Record<string, unknown>[] }>(asOperator('/admin/webhooks'));
    expect(listed.items.map((w) => w.id)).toEqual(expect.arrayContaining([own.id, partner.id, flaky.id, down.id]));
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    expect(listed.items.find((w) => w.id === partner.id)).toMatchObject({ partner: 'amdh-rabat', events: ['SignatureConfirmed'] });

    for (const bad of [
      { url: 'http://user:pw@127.0.0.1/x', events: ['SignatureConfirmed'] },
      { url: 'http://example.org/hook', events: ['SignatureConfirmed'] },
      { url: `${receiverUrl}/x`, events: ['SignatureSubmitted'] },
      { url: `${receiverUrl}/x`, events: [] },
      { url: `${receiverUrl}/x`, events: ['CampaignClosed'], partner: 'Not A Partner' },
    ]) {
      const answer = await asOperator('/admin/webhooks', 'POST', bad);
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await json<{ items: unknown[] }>(asOperator('/admin/webhooks'))).items).toHaveLength(4);
  });

  it('delivers a published campaign signed; a receiver that fails twice gets it on the third attempt; one that is down has it dead-lettered', async () => {
    expect((await asOperator(`/admin/campaigns/${slug}/publish`, 'POST')).status).toBe(200);
    const published = await eventually(async () => ofType('/own', 'CampaignPublished')[0]);
    await expectSigned(published, own.secret);
    expect(JSON.parse(published.body)).toMatchObject({ type: 'CampaignPublished', id: published.headers['tadamon-event-id'], data: { campaign: slug, title: 'Freedom for the Ouarzazate strikers' } });

    const flakyDelivery = await eventually(async () => {
      const { items } = await json<{ items: Delivery[] }>(asOperator(`/admin/webhooks/${flaky.id}/deliveries`));
      return items[0]?.status === 'delivered' ? items[0] : undefined;
    });
    expect(flakyDelivery).toMatchObject({ type: 'CampaignPublished', attempts: 3, statusCode: 204 });
    const attempts = ofType('/flaky', 'CampaignPublished');
    expect(attempts).toHaveLength(3);
    // Every attempt carries the same event id and the same signed bytes.
    expect(new Set(attempts.map((a) => a.headers['tadamon-event-id']))).toEqual(new Set([flakyDelivery.eventId]));

    const dead = await eventually(async () => {
      const { items } = await json<{ items: Delivery[] }>(asOperator(`/admin/webhooks/${down.id}/deliveries`));
      return items[0]?.status === 'dead-lettered' ? items[0] : undefined;
    });
    expect(dead).toMatchObject({ attempts: 4, statusCode: 503, lastError: 'HTTP 503' });
    expect(ofType('/down', 'CampaignPublished')).toHaveLength(4);
  });

  it("a confirmed signature reaches the operator's system with the signer, and a partner without consent with no one", async () => {
    const signed = await api(`/campaigns/${slug}/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Fatima Zahra', email: 'fatima@example.org', country: 'MA', locale: 'fr' }),
    });
    expect(signed.status).toBe(202);
    expect((await api(`/confirm/${await confirmLinkOf('fatima@example.org')}`, { method: 'POST' })).status).toBe(200);

    const mine = await eventually(async () => ofType('/own', 'SignatureConfirmed')[0]);
    await expectSigned(mine, own.secret);
    expect(JSON.parse(mine.body)).toMatchObject({ type: 'SignatureConfirmed', data: { campaign: slug, country: 'MA', name: 'Fatima Zahra', email: 'fatima@example.org', locale: 'fr' } });

    const theirs = await eventually(async () => ofType('/partner', 'SignatureConfirmed')[0]);
    await expectSigned(theirs, partner.secret);
    const body = JSON.parse(theirs.body) as { data: Record<string, unknown> };
    expect(Object.keys(body.data).sort()).toEqual(['campaign', 'confirmedAt', 'country']);
    expect(theirs.body).not.toContain('fatima');
    // Two webhooks never share an event id.
    expect(theirs.headers['tadamon-event-id']).not.toBe(mine.headers['tadamon-event-id']);

    // Closing the campaign comes after: once its delivery is here, the signature was not delivered twice.
    expect((await asOperator(`/admin/campaigns/${slug}/close`, 'POST')).status).toBe(200);
    await eventually(async () => ofType('/own', 'CampaignClosed')[0]);
    expect(ofType('/own', 'SignatureConfirmed')).toHaveLength(1);
  });

  it('lists deliveries newest first and replays one under the same event id, newly signed', async () => {
    const { items } = await json<{ items: Delivery[] }>(asOperator(`/admin/webhooks/${own.id}/deliveries`));
    expect(items.map((d) => d.type)).toEqual(['CampaignClosed', 'SignatureConfirmed', 'CampaignPublished']);
    const signature = items[1]!;
    expect(signature).toMatchObject({ status: 'delivered', attempts: 1, statusCode: 204, replays: 0 });

    const replayed = await asOperator(`/admin/webhooks/${own.id}/deliveries/${signature.id}/replay`, 'POST');
    expect(replayed.status).toBe(202);
    expect(await json(replayed)).toMatchObject({ id: signature.id, eventId: signature.eventId, replays: 1 });
    const again = await eventually(async () => {
      const copies = ofType('/own', 'SignatureConfirmed');
      return copies.length === 2 ? copies[1] : undefined;
    });
    expect(again.headers['tadamon-event-id']).toBe(signature.eventId);
    await expectSigned(again, own.secret);
    expect(Number(again.headers['tadamon-timestamp'])).toBeGreaterThanOrEqual(Number(ofType('/own', 'SignatureConfirmed')[0]!.headers['tadamon-timestamp']));
    await eventually(async () => ((await json<{ items: Delivery[] }>(asOperator(`/admin/webhooks/${own.id}/deliveries`))).items[1]?.attempts === 2 ? true : undefined));

    expect((await asOperator(`/admin/webhooks/${own.id}/deliveries/nope/replay`, 'POST')).status).toBe(404);
  });

  it('removes a webhook: no longer listed, its deliveries no longer served', async () => {
    const removed = await asOperator(`/admin/webhooks/${down.id}`, 'DELETE');
    expect(removed.status).toBe(200);
    expect((await json<{ items: { id: string }[] }>(asOperator('/admin/webhooks'))).items.map((w) => w.id)).not.toContain(down.id);
    expect((await asOperator(`/admin/webhooks/${down.id}/deliveries`)).status).toBe(404);
    expect((await asOperator(`/admin/webhooks/${down.id}`, 'DELETE')).status).toBe(404);
  });
});
