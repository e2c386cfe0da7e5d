import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as createSignature } from '#functions/http/create-signature.ts';
import { handler as createSubscription } from '#functions/http/create-subscription.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import type { HttpHandler } from '#shared/http/handler.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { confirmSubscription, subscribe, unsubscribe } from '#shared/store/subscription-store.ts';
import { db, keys, limitsTableName } from '#shared/store/table.ts';
import { jsonPost } from '#test/support/http-event.ts';
import { useTestTable } from '#test/support/test-table.ts';

/**
 * Signing and subscribing must not tell a new address from a waiting or a confirmed one by the time they take:
 * every path makes the same round trips to the table (the bench measures the times themselves).
 */
let slug: string;
let request = 0;
/** Each request from its own address, so the per-IP limits never refuse one. */
const post = (route: string, body: unknown, pathParameters?: Record<string, string>) =>
  jsonPost(route, body, { ...(pathParameters ? { pathParameters } : {}), sourceIp: `198.51.100.${++request % 250}` });

/**
 * The round trips to the main table. The limits table's are left out: they depend on the IP, the campaign and the
 * clock, never on the address (the first admission after a window rolls over takes one more, whoever asks).
 */
function addressRoundTrips(calls: unknown[][]): number {
  const limits = limitsTableName();
  const tables = (command: unknown): string[] => {
    const input = (command as { input?: { TableName?: string; TransactItems?: Record<string, { TableName?: string }>[] } }).input ?? {};
    return [input.TableName, ...(input.TransactItems ?? []).flatMap((item) => Object.values(item).map((op) => op.TableName))].filter((t): t is string => Boolean(t));
  };
  return calls.filter(([command]) => !tables(command).every((table) => table === limits) || tables(command).length === 0).length;
}

async function roundTrips(handler: HttpHandler, event: APIGatewayProxyEventV2): Promise<{ status: number; body: string; calls: number }> {
  const send = vi.spyOn(db(), 'send');
  try {
    const result = await handler(event, lambdaContext('RoundTrips', 10));
    return { status: result.statusCode, body: String(result.body), calls: addressRoundTrips(send.mock.calls) };
  } finally {
    send.mockRestore();
  }
}

const signature = (email: string, subscribe: boolean) => ({ name: 'Amina Benali', email, country: 'MA', subscribe });
const sign = (email: string, subscribe = false) => roundTrips(createSignature, post('/campaigns/{slug}/signatures', signature(email, subscribe), { slug }));

describe('signing and subscribing take the same round trips whatever the table knows of the address', () => {
  beforeAll(async () => {
    await useTestTable('request-round-trips');
    slug = (await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Same time' }), { status: 'open' })).slug;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    resetConfig();
  });

  it.each([false, true])('signing (subscribe: %s): new, waiting and confirmed addresses alike', async (alsoSubscribe) => {
    const tag = alsoSubscribe ? 'with-updates' : 'plain';
    await recordSignature(slug, { ...signature(`waiting-${tag}@example.org`, alsoSubscribe), public: false, subscribe: alsoSubscribe });
    await recordSignature(slug, { ...signature(`confirmed-${tag}@example.org`, alsoSubscribe), public: false, subscribe: alsoSubscribe });
    await confirmSignature(keys.signature(slug, emailKey(`confirmed-${tag}@example.org`)));

    // A first request of the container reads what it then keeps (settings, lists): not what is compared.
    await sign(`warm-up-${tag}@example.org`, alsoSubscribe);
    const fresh = await sign(`new-${tag}@example.org`, alsoSubscribe);
    const waiting = await sign(`waiting-${tag}@example.org`, alsoSubscribe);
    const confirmed = await sign(`confirmed-${tag}@example.org`, alsoSubscribe);
    for (const answer of [fresh, waiting, confirmed]) expect(answer).toMatchObject({ status: 202, body: JSON.stringify({ status: 'pending' }) });
    expect(fresh.calls).toBeGreaterThan(0);
    expect([waiting.calls, confirmed.calls]).toEqual([fresh.calls, fresh.calls]);
  });

  it('subscribing: new, waiting, confirmed and unsubscribed addresses alike', async () => {
    await roundTrips(createSubscription, post('/subscriptions', { email: 'warm-up@example.org' }));
    const preferences = { urgent: true, digest: 'weekly' as const, countries: [], topics: [] };
    await subscribe({ email: 'waiting@example.org', ...preferences });
    await subscribe({ email: 'confirmed@example.org', ...preferences });
    await confirmSubscription(keys.subscriber(emailKey('confirmed@example.org')));
    await subscribe({ email: 'left@example.org', ...preferences });
    await confirmSubscription(keys.subscriber(emailKey('left@example.org')));
    await unsubscribe(emailKey('left@example.org'));
    const answers = [];
    for (const email of ['new@example.org', 'waiting@example.org', 'confirmed@example.org', 'left@example.org']) {
      answers.push(await roundTrips(createSubscription, post('/subscriptions', { email })));
    }
    for (const answer of answers) expect(answer).toMatchObject({ status: 202, body: JSON.stringify({ status: 'pending' }) });
    expect(new Set(answers.map((answer) => answer.calls)).size).toBe(1);
  });
});
