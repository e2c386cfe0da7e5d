import { gunzipSync } from 'node:zlib';
import { GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as erasePerson } from '#functions/http/admin/erase-person.ts';
import { handler as exportSubscribers } from '#functions/http/admin/export-subscribers.ts';
import { handler as listErasures } from '#functions/http/admin/list-erasures.ts';
import { handler as publishCampaign } from '#functions/http/admin/publish-campaign.ts';
import { handler as reopenCampaign } from '#functions/http/admin/reopen-campaign.ts';
import { handler as subscriberSummary } from '#functions/http/admin/subscriber-summary.ts';
import { handler as updateCampaign } from '#functions/http/admin/update-campaign.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { subscriptionInputSchema } from '#shared/domain/subscription.ts';
import type { HttpHandler } from '#shared/http/handler.ts';
import { createCampaign, getCampaign, transitionCampaign } from '#shared/store/campaign-store.ts';
import { countConfirmations } from '#shared/store/counting.ts';
import { eraseNow, finishErasures } from '#shared/store/erasure-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { confirmSubscription, subscribe } from '#shared/store/subscription-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { httpEvent } from '#test/support/http-event.ts';
import { useTestTable } from '#test/support/test-table.ts';

const operator = { authorization: 'Bearer operator-token-for-tests', 'content-type': 'application/json' };

async function call(handler: HttpHandler, options: Parameters<typeof httpEvent>[0]): Promise<APIGatewayProxyStructuredResultV2 & { json: () => Record<string, unknown> }> {
  const result = (await handler(httpEvent({ ...options, headers: { ...operator, ...options?.headers } }), lambdaContext('OperatorTools', 29))) as APIGatewayProxyStructuredResultV2;
  return { ...result, json: () => JSON.parse(String(result.body)) as Record<string, unknown> };
}

const slugCall = (handler: HttpHandler, route: string, slug: string, body?: unknown) =>
  call(handler, { method: body === undefined ? 'POST' : 'PATCH', route, pathParameters: { slug }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function scanAll(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new ScanCommand({ TableName: tableName(), ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function confirmedSubscriber(email: string, fields: Record<string, unknown> = {}): Promise<void> {
  await subscribe(subscriptionInputSchema.parse({ email, ...fields }));
  await confirmSubscription(keys.subscriber(emailKey(email)));
}

beforeAll(async () => {
  await useTestTable('operator-tools');
  process.env.ADMIN_TOKEN = 'operator-token-for-tests';
  process.env.CURSOR_SECRET = 'cursor-secret-for-integration-tests';
  resetConfig();
});

describe('reopening is its own step', () => {
  it('refuses to publish a closed campaign, pointing at reopen, and changes nothing', async () => {
    const campaign = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Closed once' }), { status: 'open' });
    await transitionCampaign(campaign.slug, ['open'], 'closed');
    const refused = await slugCall(publishCampaign, '/admin/campaigns/{slug}/publish', campaign.slug);
    expect(refused.statusCode).toBe(409);
    expect(refused.headers?.['content-type']).toBe('application/problem+json');
    expect(String(refused.json().detail)).toContain(`/admin/campaigns/${campaign.slug}/reopen`);
    expect((await getCampaign(campaign.slug)).status).toBe('closed');
  });

  it('reopens a closed campaign, and reopening again changes nothing', async () => {
    const campaign = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Open again' }), { status: 'open' });
    await transitionCampaign(campaign.slug, ['open'], 'closed');
    const reopened = await slugCall(reopenCampaign, '/admin/campaigns/{slug}/reopen', campaign.slug);
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ slug: campaign.slug, status: 'open', counts: { total: 0 } });
    const again = await slugCall(reopenCampaign, '/admin/campaigns/{slug}/reopen', campaign.slug);
    expect(again.statusCode).toBe(200);
    expect(again.json().updatedAt).toBe(reopened.json().updatedAt);
  });

  it('still publishes a draft', async () => {
    const draft = await createCampaign(campaignInputSchema.parse({ kind: 'statement', title: 'A draft to publish' }));
    const published = await slugCall(publishCampaign, '/admin/campaigns/{slug}/publish', draft.slug);
    expect(published.statusCode).toBe(200);
    expect(published.json().status).toBe('open');
  });

  it('refuses a draft, a campaign whose closesAt has passed, and one whose signers were anonymised', async () => {
    const draft = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Never opened' }));
    const draftAnswer = await slugCall(reopenCampaign, '/admin/campaigns/{slug}/reopen', draft.slug);
    expect(draftAnswer.statusCode).toBe(409);
    expect(String(draftAnswer.json().detail)).toContain('publish');

    const expired = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Past its date', closesAt: '2020-01-01T00:00:00Z' }), { status: 'open' });
    await transitionCampaign(expired.slug, ['open'], 'closed');
    const expiredAnswer = await slugCall(reopenCampaign, '/admin/campaigns/{slug}/reopen', expired.slug);
    expect(expiredAnswer.statusCode).toBe(409);
    expect(String(expiredAnswer.json().detail)).toContain('closesAt');
    expect((await getCampaign(expired.slug)).status).toBe('closed');

    const anonymised = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Long closed' }), { status: 'open' });
    await transitionCampaign(anonymised.slug, ['open'], 'closed');
    await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.campaign(anonymised.slug), UpdateExpression: 'SET anonymisedAt = :at', ExpressionAttributeValues: { ':at': '2036-01-01T00:00:00.000Z' } }));
    const anonymisedAnswer = await slugCall(reopenCampaign, '/admin/campaigns/{slug}/reopen', anonymised.slug);
    expect(anonymisedAnswer.statusCode).toBe(409);
    expect((await getCampaign(anonymised.slug)).status).toBe('closed');
  });
});

describe('translations through PATCH', () => {
  it('adds one locale without touching the others, and removes one with null', async () => {
    const campaign = await createCampaign(
      campaignInputSchema.parse({ kind: 'petition', title: 'Many languages', summary: 'English summary.', translations: { ar: { title: 'بالعربية' } } }),
    );
    const added = await slugCall(updateCampaign, '/admin/campaigns/{slug}', campaign.slug, { translations: { fr: { title: 'En français' } } });
    expect(added.statusCode).toBe(200);
    expect(added.json().translations).toEqual({ ar: { title: 'بالعربية' }, fr: { title: 'En français' } });

    const removed = await slugCall(updateCampaign, '/admin/campaigns/{slug}', campaign.slug, { translations: { ar: null } });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().translations).toEqual({ fr: { title: 'En français' } });
    // Removing what is not there changes nothing, and is no error.
    const again = await slugCall(updateCampaign, '/admin/campaigns/{slug}', campaign.slug, { translations: { ar: null } });
    expect(again.statusCode).toBe(200);
    expect(again.json().translations).toEqual({ fr: { title: 'En français' } });
  });
});

describe("an operator's erasure", () => {
  it('erases at once, keeps the count, and leaves an audit of who, when and why without the address', async () => {
    const email = 'posted-a-letter@example.org';
    const campaign = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Erasure by letter' }), { status: 'open' });
    await recordSignature(campaign.slug, { name: 'Letter Writer', email, country: 'MA', public: true, subscribe: false });
    const key = keys.signature(campaign.slug, emailKey(email));
    await confirmSignature(key);
    await countConfirmations([{ campaign: campaign.slug, key, counter: 'signatures', country: 'MA' }]);
    await confirmedSubscriber(email, { name: 'Letter Writer' });

    const answer = await call(erasePerson, { method: 'POST', route: '/admin/privacy/erasure', body: JSON.stringify({ email, reason: 'letter of 2036-01-02, ticket 42' }) });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ status: 'erased', items: 2 });

    const everything = await scanAll();
    const text = JSON.stringify(everything);
    expect(text).not.toContain(email);
    expect(text).not.toContain('Letter Writer');
    expect((await db().send(new GetCommand({ TableName: tableName(), Key: keys.subscriber(emailKey(email)) }))).Item).toBeUndefined();
    expect((await getCounts(campaign.slug, undefined)).signatures).toBe(1);
    const audits = everything.filter((item) => item.type === 'erasure-audit' && item.reason === 'letter of 2036-01-02, ticket 42');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ by: 'admin-token', items: 2 });
    expect(typeof audits[0]!.at).toBe('string');

    const listed = await call(listErasures, { method: 'GET', route: '/admin/privacy/erasures', query: { limit: '100' } });
    expect(listed.statusCode).toBe(200);
    const entries = listed.json().items as Record<string, unknown>[];
    expect(entries).toContainEqual({ erasedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), items: 2, by: 'admin-token', at: audits[0]!.at, reason: 'letter of 2036-01-02, ticket 42' });
    expect(JSON.stringify(entries)).not.toContain(email);
  });

  it('answers the same for an address it knows nothing of, and leaves an audit', async () => {
    const answer = await call(erasePerson, { method: 'POST', route: '/admin/privacy/erasure', body: JSON.stringify({ email: 'stranger@example.org', reason: 'phone call, ticket 43' }) });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ status: 'erased', items: 0 });
    expect((await scanAll()).filter((item) => item.reason === 'phone call, ticket 43')).toHaveLength(1);
  });

  it('leaves what it could not finish in time to the daily job, which keeps the operator in the audit', async () => {
    const email = 'much-data@example.org';
    await confirmedSubscriber(email);
    // No time at all: the first page is erased, then it stops.
    expect(await eraseNow(email, { by: 'cognito:desk-7', reason: 'letter, ticket 44' }, 0)).toEqual({ finished: false, items: 1 });
    expect((await scanAll()).some((item) => item.reason === 'letter, ticket 44' && item.type === 'erasure-audit')).toBe(false);
    expect(await finishErasures(Date.now() + 10_000)).toBeGreaterThanOrEqual(1);
    const everything = await scanAll();
    expect(JSON.stringify(everything)).not.toContain(email);
    expect(everything.filter((item) => item.type === 'erasure-audit' && item.reason === 'letter, ticket 44')).toEqual([
      expect.objectContaining({ by: 'cognito:desk-7', items: 1 }),
    ]);
  });

  it('refuses a reason with an address in it and erases nothing', async () => {
    await confirmedSubscriber('keep-me@example.org');
    const answer = await call(erasePerson, { method: 'POST', route: '/admin/privacy/erasure', body: JSON.stringify({ email: 'keep-me@example.org', reason: 'asked by keep-me@example.org' }) });
    expect(answer.statusCode).toBe(400);
    expect((await db().send(new GetCommand({ TableName: tableName(), Key: keys.subscriber(emailKey('keep-me@example.org')) }))).Item).toBeDefined();
  });
});

describe('subscribers: counts and export', () => {
  beforeAll(async () => {
    await confirmedSubscriber('amina@example.org', { name: 'Amina', locale: 'ar', countries: ['MA'], topics: ['press-freedom'] });
    await confirmedSubscriber('claire@example.org', { name: 'Claire', locale: 'fr', countries: ['MA', 'TR'], urgent: false });
    await confirmedSubscriber('formula@example.org', { name: '=SUM(A1:A9)', digest: 'none' });
    // Pending: not confirmed, not counted, not exported.
    await subscribe(subscriptionInputSchema.parse({ email: 'pending@example.org' }));
  });

  const summary = async (query: Record<string, string> = {}) => {
    const answer = await call(subscriberSummary, { method: 'GET', route: '/admin/subscribers/summary', query });
    expect(answer.statusCode).toBe(200);
    return answer.json();
  };

  it('counts confirmed subscribers by locale, country, topic, urgent and digest', async () => {
    const all = await summary();
    // Other tests of this file add confirmed subscribers too: count those of this block by what they chose.
    expect(all.byLocale).toMatchObject({ ar: 1, fr: 1 });
    expect(all.byCountry).toMatchObject({ MA: 2, TR: 1 });
    expect(all.byTopic).toMatchObject({ 'press-freedom': 1 });
    expect((all.urgent as { off: number }).off).toBe(1);
    expect((all.digest as { none: number }).none).toBe(1);
    expect(all.nextCursor).toBeNull();
    expect(all.byStatus).toEqual({ confirmed: all.total });
  });

  it('filters as an urgent call would select, and refuses a bad filter', async () => {
    const turkey = await summary({ country: 'TR' });
    // Claire chose TR; whoever chose no country wants everything.
    expect(turkey.byLocale).toMatchObject({ fr: 1 });
    expect(turkey.byLocale).not.toHaveProperty('ar');
    expect((await summary({ locale: 'ar' })).total).toBe(1);
    const bad = await call(subscriberSummary, { method: 'GET', route: '/admin/subscribers/summary', query: { country: 'Morocco' } });
    expect(bad.statusCode).toBe(400);
  });

  it('exports them as formula-safe CSV, filtered', async () => {
    const answer = await call(exportSubscribers, { method: 'GET', route: '/admin/subscribers.csv', query: { country: 'MA' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    const csv = gunzipSync(Buffer.from(String(answer.body), 'base64')).toString('utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('email,name,locale,urgent,digest,countries,topics');
    expect(csv).toContain('amina@example.org,Amina,ar,yes,weekly,MA,press-freedom');
    expect(csv).toContain('claire@example.org,Claire,fr,no,weekly,MA TR,');
    expect(csv).toContain("formula@example.org,'=SUM(A1:A9),,yes,none,,");
    expect(csv).not.toContain('pending@example.org');
    expect(Number(answer.headers?.['x-row-count'])).toBe(lines.length - 1);
    const arabic = await call(exportSubscribers, { method: 'GET', route: '/admin/subscribers.csv', query: { locale: 'ar' } });
    expect(gunzipSync(Buffer.from(String(arabic.body), 'base64')).toString('utf8').trim().split('\n').slice(1)).toEqual(['amina@example.org,Amina,ar,yes,weekly,MA,press-freedom']);
  });

  it('goes part by part when asked for fewer rows, losing nothing', async () => {
    const first = await call(exportSubscribers, { method: 'GET', route: '/admin/subscribers.csv', query: { rows: '1' } });
    expect(first.statusCode).toBe(200);
    // A part stops between index pages, so with few subscribers the first part holds them all.
    const all = await summary();
    expect(Number(first.headers?.['x-row-count'])).toBe(all.total);
  });
});
