import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionNetworkStandIn } from '#test/support/action-network-stand-in.ts';

/** The stand-in the connector's tests record against must refuse what Action Network's documentation rules out. */
describe('the Action Network stand-in', () => {
  const standIn = new ActionNetworkStandIn();
  const key = 'stand-in-key-0123456789';
  let petition: string;
  const person = { email_addresses: [{ address: 'salma@example.org' }] };
  const post = (body: unknown, headers: Record<string, string> = { 'OSDI-API-Token': key, 'Content-Type': 'application/json' }, path = `/petitions/${petition}/signatures/`) =>
    fetch(`${standIn.baseUrl}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    await standIn.start();
    petition = standIn.petition(key);
  });

  afterAll(() => standIn.stop());

  it('answers a well-formed signature with a HAL signature, once per person and petition', async () => {
    const first = await post({ identifiers: ['tadamon:1.a'], person });
    expect(first.status).toBe(200);
    const signature = (await first.json()) as { identifiers: string[] };
    expect(signature.identifiers[0]).toMatch(/^action_network:/);
    const again = (await (await post({ identifiers: ['tadamon:1.a'], person })).json()) as { identifiers: string[] };
    expect(again.identifiers[0]).toBe(signature.identifiers[0]);
  });

  it('refuses a missing or foreign key, another petition, another content type', async () => {
    expect((await post({ person }, { 'Content-Type': 'application/json' })).status).toBe(401);
    expect((await post({ person }, { 'OSDI-API-Token': 'another-key-0123456789', 'Content-Type': 'application/json' })).status).toBe(401);
    expect((await post({ person }, undefined, '/petitions/9f837109-710d-4d66-a6c8-d8a5a9e5b7e0/signatures/')).status).toBe(404);
    expect((await post({ person }, { 'OSDI-API-Token': key, 'Content-Type': 'text/plain' })).status).toBe(400);
  });

  it('refuses what the record signature helper does not take', async () => {
    expect((await post({ person, email: 'x' })).status).toBe(400);
    expect((await post({ person: { ...person, comment: 'x' } })).status).toBe(400);
    expect((await post({ person: { given_name: 'Salma' } })).status).toBe(400);
    expect((await post({ identifiers: ['no-system'], person })).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
  });

  it('answers the errors it is told to, then recovers', async () => {
    standIn.failNext(1, 429, '2');
    const limited = await post({ person });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await post({ person })).status).toBe(200);
  });
});
