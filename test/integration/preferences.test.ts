import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as preferencesPage } from '#functions/http/get-preferences-page.ts';
import { handler as savePreferencesRoute } from '#functions/http/post-preferences.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { savePreferences } from '#shared/store/preferences-store.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { confirmSubscription, subscribe, unsubscribe, unsubscribeToken } from '#shared/store/subscription-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { httpEvent } from '#test/support/http-event.ts';
import { useTestTable } from '#test/support/test-table.ts';

const stored = async (key: string) => (await db().send(new GetCommand({ TableName: tableName(), Key: keys.subscriber(key), ConsistentRead: true }))).Item;

async function confirmedSubscriber(email: string, locale = 'en'): Promise<string> {
  await subscribe({ email, locale, urgent: true, digest: 'weekly', countries: [], topics: [] });
  const key = emailKey(email);
  expect(await confirmSubscription(keys.subscriber(key))).toBe('confirmed');
  return key;
}

const browser = { accept: 'text/html,application/xhtml+xml', 'content-type': 'application/x-www-form-urlencoded' };

function request(method: 'GET' | 'POST', token: string, options: { headers?: Record<string, string>; body?: string } = {}): APIGatewayProxyEventV2 {
  return httpEvent({ method, route: '/preferences/{token}', pathParameters: { token }, headers: options.headers ?? {}, ...(options.body !== undefined ? { body: options.body } : {}) });
}

const get = (token: string, headers: Record<string, string> = {}) => preferencesPage(request('GET', token, { headers }), lambdaContext('GetPreferencesPage', 10));
const post = (token: string, body: string, headers: Record<string, string> = browser) =>
  savePreferencesRoute(request('POST', token, { headers, body }), lambdaContext('UpdatePreferences', 10));

describe('preferences', () => {
  beforeAll(async () => {
    await useTestTable('preferences');
    await createCampaign(campaignInputSchema.parse({ slug: 'free-the-journalists', kind: 'petition', title: 'Free the journalists', countries: ['MA'], topics: ['press-freedom'] }), { status: 'open' });
  });

  it('change only the fields given, and leave the subscription, its request and its place in the planners alone', async () => {
    const key = await confirmedSubscriber('prefs.store@example.org');
    const before = await stored(key);
    expect(await savePreferences(key, { urgent: false, countries: ['TN'] })).toBe('saved');
    const after = await stored(key);
    expect(after).toMatchObject({ urgent: false, digest: 'weekly', countries: ['TN'], topics: [], locale: 'en', status: 'confirmed' });
    expect(after?.requestId).toBe(before?.requestId);
    expect(after?.gsi1pk).toBe(before?.gsi1pk);
    // A repeat writes the same values.
    expect(await savePreferences(key, { urgent: false, countries: ['TN'] })).toBe('saved');
    expect(await stored(key)).toMatchObject({ urgent: false, countries: ['TN'] });
  });

  it('leave an unsubscribed address unsubscribed, and make nobody out of an unknown one', async () => {
    const key = await confirmedSubscriber('prefs.gone@example.org');
    await unsubscribe(key);
    const before = await stored(key);
    expect(await savePreferences(key, { urgent: true, digest: 'weekly' })).toBe('unsubscribed');
    expect(await stored(key)).toEqual(before);
    const stranger = emailKey('never.subscribed@example.org');
    expect(await savePreferences(stranger, { urgent: true })).toBe('missing');
    expect(await stored(stranger)).toBeUndefined();
  });

  it('show the form in the subscriber\u2019s language and change nothing on GET', async () => {
    const key = await confirmedSubscriber('prefs.page@example.org', 'ar');
    const before = await stored(key);
    const page = await get(unsubscribeToken(key), { 'accept-language': 'fr' });
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['cache-control']).toBe('no-store');
    expect(page.body).toMatch(/<html lang="ar" dir="rtl">/);
    // The open campaigns' countries and topics are offered.
    expect(page.body).toContain('name="country" value="MA"');
    expect(page.body).toContain('name="topic" value="press-freedom"');
    expect(page.body).not.toContain('prefs.page@example.org');
    expect(await stored(key)).toEqual(before);
  });

  it('save the form, answer in the language just chosen, and keep the choices', async () => {
    const key = await confirmedSubscriber('prefs.form@example.org', 'en');
    const token = unsubscribeToken(key);
    const saved = await post(token, 'digest=on&country=MA&otherCountries=tn&topic=press-freedom&locale=es');
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toMatch(/<html lang="es" dir="ltr">/);
    expect(saved.body).toContain('<h1>Guardado</h1>');
    expect(await stored(key)).toMatchObject({ urgent: false, digest: 'weekly', countries: ['MA', 'TN'], topics: ['press-freedom'], locale: 'es', status: 'confirmed' });
    // The page shows them back, ticked.
    const page = await get(token);
    expect(page.body).toContain('value="MA" checked>');
    expect(page.body).not.toContain('id="urgent" name="urgent" value="on" checked');
  });

  it('take JSON from API clients, changing only what they send', async () => {
    const key = await confirmedSubscriber('prefs.json@example.org', 'fr');
    const answer = await post(unsubscribeToken(key), JSON.stringify({ digest: 'none' }), { 'content-type': 'application/json' });
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body as string)).toEqual({ status: 'saved', preferences: { urgent: true, digest: 'none', countries: [], topics: [], locale: 'fr' } });
  });

  it('refuse bad input, forged links and other media types with a 4xx, and change nothing', async () => {
    const key = await confirmedSubscriber('prefs.bad@example.org', 'fr');
    const token = unsubscribeToken(key);
    const before = await stored(key);
    const bad = await post(token, 'urgent=on&otherCountries=Morocco');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<html lang="fr"/);
    const badJson = await post(token, JSON.stringify({ locale: 'de' }), { 'content-type': 'application/json' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.headers?.['content-type']).toBe('application/problem+json');
    expect((await post(token, JSON.stringify({ extra: 1 }), { 'content-type': 'application/json' })).statusCode).toBe(400);
    expect((await post(token, '{', { 'content-type': 'application/json' })).statusCode).toBe(400);
    expect((await post(token, 'urgent=on', { 'content-type': 'text/plain' })).statusCode).toBe(415);
    expect((await post(token, `otherCountries=${'A'.repeat(20_000)}`)).statusCode).toBe(413);
    // A link made for nobody, or changed by one character, opens nothing.
    const changed = Buffer.from(token, 'base64url');
    changed[20] = changed[20]! ^ 0x01;
    for (const forged of [changed.toString('base64url'), emailKey('prefs.bad@example.org'), 'A'.repeat(300)]) {
      expect((await post(forged, 'urgent=on')).statusCode).toBe(404);
      expect((await post(forged, '{}', { 'content-type': 'application/json' })).statusCode).toBe(404);
      expect((await get(forged)).statusCode).toBe(404);
    }
    expect(await stored(key)).toEqual(before);
  });

  it('tell an unsubscribed address, without a form, and keep it unsubscribed', async () => {
    const key = await confirmedSubscriber('prefs.left@example.org');
    await unsubscribe(key);
    const token = unsubscribeToken(key);
    const page = await get(token);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<form');
    expect((await post(token, 'urgent=on&digest=on')).statusCode).toBe(409);
    expect(await stored(key)).toMatchObject({ status: 'unsubscribed' });
    expect((await get(unsubscribeToken(emailKey('nobody.here@example.org')))).statusCode).toBe(404);
  });
});
