import { gunzipSync } from 'node:zlib';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as exportSignatures } from '#functions/http/admin/export-signatures.ts';
import { handler as createSignature } from '#functions/http/create-signature.ts';
import { handler as signByForm } from '#functions/http/post-campaign-form.ts';
import { handler as getCampaign } from '#functions/http/get-campaign.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { confirmationOf, countConfirmations } from '#shared/store/counting.ts';
import { eraseNow } from '#shared/store/erasure-store.ts';
import { confirmSignature, emailKey } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { httpEvent, jsonPost } from '#test/support/http-event.ts';
import { item, scanAll } from '#test/support/table-contents.ts';
import { useTestTable } from '#test/support/test-table.ts';

const operator = { authorization: 'Bearer operator-token-for-tests' };
const amdhArabic = 'أوافق على أن تراسلني الجمعية المغربية لحقوق الإنسان';
let request = 0;

async function newCampaign(title: string): Promise<string> {
  const input = campaignInputSchema.parse({
    kind: 'statement',
    title,
    partners: [
      { id: 'amdh', name: 'AMDH', website: 'https://amdh.example.org', optIn: { ar: amdhArabic } },
      { id: 'peoples-assembly', name: "International Peoples' Assembly" },
    ],
  });
  return (await createCampaign(input, { status: 'open' })).slug;
}

/** Signs over the JSON API, each request from its own address so the per-IP limits never refuse one. */
async function sign(slug: string, body: Record<string, unknown>): Promise<APIGatewayProxyStructuredResultV2> {
  const event = jsonPost('/campaigns/{slug}/signatures', { country: 'MA', ...body }, { pathParameters: { slug }, sourceIp: `198.51.100.${++request % 250}` });
  return (await createSignature(event, lambdaContext('CreateSignature', 10))) as APIGatewayProxyStructuredResultV2;
}

const signatureKey = (slug: string, email: string) => keys.signature(slug, emailKey(email));

/** The click, then what the stream's counting does with it: the signature joins the export index. */
async function confirmAndCount(slug: string, email: string): Promise<void> {
  const key = signatureKey(slug, email);
  expect(await confirmSignature(key)).toBe('confirmed');
  expect(await countConfirmations([confirmationOf((await item(key))!)!])).toEqual([]);
}

async function exportCsv(slug: string, query: Record<string, string> = {}): Promise<APIGatewayProxyStructuredResultV2> {
  const event = httpEvent({ route: '/admin/campaigns/{slug}/signatures.csv', pathParameters: { slug }, query, headers: operator });
  return (await exportSignatures(event, lambdaContext('AdminExportSignatures', 29))) as APIGatewayProxyStructuredResultV2;
}

const header = (answer: APIGatewayProxyStructuredResultV2, name: string) =>
  Object.entries(answer.headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
const csvText = (answer: APIGatewayProxyStructuredResultV2) => gunzipSync(Buffer.from(String(answer.body), 'base64')).toString('utf8');
const rowsOf = (answer: APIGatewayProxyStructuredResultV2) => parse(csvText(answer).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];

describe('consent per partner organisation', () => {
  beforeAll(async () => {
    await useTestTable('partner-consents');
    process.env.ADMIN_TOKEN = 'operator-token-for-tests';
    process.env.CURSOR_SECRET = 'cursor-secret-for-integration-tests';
    resetConfig();
  });
  afterEach(() => vi.useRealTimers());

  it('records each consent with the time, the exact text shown and its language, and never the bare ids', async () => {
    const slug = await newCampaign('Consent is recorded');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2036-03-01T10:00:00.000Z'));
    const answer = await sign(slug, { name: 'سلمى بنعلي', email: 'salma@example.org', locale: 'ar', partners: ['amdh', 'peoples-assembly', 'amdh'] });
    expect(answer.statusCode).toBe(202);
    const stored = (await item(signatureKey(slug, 'salma@example.org')))!;
    expect(stored.partnerConsents).toEqual({
      amdh: { at: '2036-03-01T10:00:00.000Z', text: amdhArabic, locale: 'ar' },
      'peoples-assembly': { at: '2036-03-01T10:00:00.000Z', text: "أوافق على أن تبقيني International Peoples' Assembly على اطلاع", locale: 'ar' },
    });
    expect(stored).not.toHaveProperty('partners');
  });

  it('records the text in the language the campaign page posted its form in', async () => {
    const slug = await newCampaign('Consent from the plain form');
    const body = new URLSearchParams({ name: 'Amina Benali', email: 'amina-form@example.org', country: 'MA', locale: 'fr', partners: 'peoples-assembly' }).toString();
    const event = httpEvent({ method: 'POST', route: '/act/{slug}', pathParameters: { slug }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, sourceIp: '203.0.113.7' });
    const answer = (await signByForm(event, lambdaContext('SignByForm', 10))) as APIGatewayProxyStructuredResultV2;
    expect(answer.statusCode).toBe(202);
    const stored = (await item(signatureKey(slug, 'amina-form@example.org')))!;
    expect(stored.partnerConsents).toEqual({
      'peoples-assembly': { at: expect.any(String), text: "Je souhaite être tenu·e informé·e par International Peoples' Assembly", locale: 'fr' },
    });
  });

  it('shows the public API the partners with the very text a consent records', async () => {
    const slug = await newCampaign('Partners in the API');
    const event = httpEvent({ route: '/campaigns/{slug}', pathParameters: { slug }, query: { locale: 'ar' } });
    const answer = (await getCampaign(event, lambdaContext('GetCampaign', 10))) as APIGatewayProxyStructuredResultV2;
    const campaign = JSON.parse(String(answer.body)) as { partners: { id: string; name: string; website?: string; optIn: Record<string, string> }[] };
    expect(campaign.partners.map((p) => [p.id, p.name, p.website, p.optIn.ar, p.optIn.en])).toEqual([
      ['amdh', 'AMDH', 'https://amdh.example.org', amdhArabic, 'Keep me informed by AMDH'],
      ['peoples-assembly', "International Peoples' Assembly", undefined, "أوافق على أن تبقيني International Peoples' Assembly على اطلاع", "Keep me informed by International Peoples' Assembly"],
    ]);
  });

  it('refuses an id the campaign does not name with a 400 naming partners, and changes nothing', async () => {
    const slug = await newCampaign('Unknown partners');
    const before = await scanAll();
    const answer = await sign(slug, { name: 'Amina Benali', email: 'unknown@example.org', partners: ['amdh', 'not-a-partner'] });
    expect(answer.statusCode).toBe(400);
    expect(header(answer, 'Content-Type')).toContain('application/problem+json');
    expect(JSON.parse(String(answer.body)).errors).toEqual([{ path: 'partners', message: 'Not a partner of this campaign: not-a-partner.' }]);
    expect(await scanAll()).toEqual(before);
  });

  it("exports to a partner only the confirmed signers who opted in to it, with the consent's time, text and language", async () => {
    const slug = await newCampaign('Partner export');
    await sign(slug, { name: 'Opted In', email: 'in@example.org', locale: 'en', partners: ['amdh'], comment: 'Only for the operator', postcode: '10000' });
    await sign(slug, { name: 'Not Confirmed', email: 'waiting@example.org', partners: ['amdh'] });
    await sign(slug, { name: 'No Boxes', email: 'none@example.org' });
    await sign(slug, { name: 'Other Partner', email: 'other@example.org', partners: ['peoples-assembly'] });
    await sign(slug, { name: '@SUM(1+1)', email: 'at-sign@example.org', partners: ['amdh'] });
    for (const email of ['in@example.org', 'none@example.org', 'other@example.org', 'at-sign@example.org']) await confirmAndCount(slug, email);

    const answer = await exportCsv(slug, { partner: 'amdh', bom: '1' });
    expect(answer.statusCode).toBe(200);
    expect(header(answer, 'Content-Disposition')).toBe(`attachment; filename="${slug}-amdh-signatures.csv"`);
    expect(csvText(answer).startsWith('\uFEFFname,email,country,locale,signed_at,confirmed_at,consent_at,consent_text,consent_locale\n')).toBe(true);
    const rows = rowsOf(answer);
    expect(rows.map((r) => r.email)).toEqual(['in@example.org', 'at-sign@example.org']);
    expect(rows[0]).toEqual({
      name: 'Opted In',
      email: 'in@example.org',
      country: 'MA',
      locale: 'en',
      signed_at: expect.stringMatching(/^\d{4}-/),
      confirmed_at: expect.stringMatching(/^\d{4}-/),
      consent_at: expect.stringMatching(/^\d{4}-/),
      consent_text: 'Keep me informed by AMDH',
      consent_locale: 'en',
    });
    // What the operator alone keeps does not travel to a partner; the formula safety applies as in the full export.
    expect(csvText(answer)).not.toContain('Only for the operator');
    expect(rows[1]!.name).toBe("'@SUM(1+1)");

    expect(rowsOf(await exportCsv(slug, { partner: 'peoples-assembly' })).map((r) => r.email)).toEqual(['other@example.org']);
    // The operator's own export still holds every confirmed signer.
    expect(rowsOf(await exportCsv(slug)).map((r) => r.email).sort()).toEqual(['at-sign@example.org', 'in@example.org', 'none@example.org', 'other@example.org']);
  });

  it('follows a partner export in parts, keeping the partner in the next link', async () => {
    const slug = await newCampaign('Partner export in parts');
    for (const i of [1, 2, 3]) {
      await sign(slug, { name: `Part Signer ${i}`, email: `part-${i}@example.org`, partners: ['amdh'] });
      await confirmAndCount(slug, `part-${i}@example.org`);
    }
    const first = await exportCsv(slug, { partner: 'amdh', rows: '2' });
    expect(rowsOf(first)).toHaveLength(2);
    const next = String(header(first, 'Link'));
    expect(next).toContain('partner=amdh');
    const cursor = decodeURIComponent(/cursor=([^>&]+)/.exec(next)![1]!);
    const second = await exportCsv(slug, { partner: 'amdh', rows: '2', cursor });
    expect(rowsOf(second).map((r) => r.email)).toHaveLength(1);
    // A cursor of one partner's list does not carry on another's.
    expect((await exportCsv(slug, { partner: 'peoples-assembly', rows: '2', cursor })).statusCode).toBe(400);
  });

  it('leaves out a signer whose consent is not well formed: without its text it is no consent', async () => {
    const slug = await newCampaign('Malformed consents');
    for (const email of ['whole@example.org', 'broken@example.org']) {
      await sign(slug, { name: 'Some Signer', email, partners: ['amdh'] });
      await confirmAndCount(slug, email);
    }
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: signatureKey(slug, 'broken@example.org'),
        UpdateExpression: 'REMOVE partnerConsents.amdh.#text',
        ExpressionAttributeNames: { '#text': 'text' },
      }),
    );
    expect(rowsOf(await exportCsv(slug, { partner: 'amdh' })).map((r) => r.email)).toEqual(['whole@example.org']);
  });

  it('answers a partner the campaign does not name with 404, and an id that cannot be one with 400', async () => {
    const slug = await newCampaign('Partner export refused');
    const unknown = await exportCsv(slug, { partner: 'nobody' });
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(String(unknown.body)).detail).toBe(`"${slug}" has no partner "nobody".`);
    const invalid = await exportCsv(slug, { partner: 'Not An Id' });
    expect(invalid.statusCode).toBe(400);
    expect(JSON.parse(String(invalid.body)).errors.map((e: { path: string }) => e.path)).toEqual(['partner']);
  });

  it('lets nobody who only knows an address add or remove a consent', async () => {
    const slug = await newCampaign('Strangers cannot consent');
    // A supporter who opted in and confirmed: a stranger signing again without the box changes nothing.
    await sign(slug, { name: 'Real Supporter', email: 'supporter@example.org', partners: ['amdh'] });
    await confirmAndCount(slug, 'supporter@example.org');
    const consented = (await item(signatureKey(slug, 'supporter@example.org')))!.partnerConsents;
    await sign(slug, { name: 'Stranger', email: 'supporter@example.org' });
    expect((await item(signatureKey(slug, 'supporter@example.org')))!.partnerConsents).toEqual(consented);

    // One who signed without a box: a stranger ticking it for them adds nothing.
    await sign(slug, { name: 'Quiet Supporter', email: 'quiet@example.org' });
    await confirmAndCount(slug, 'quiet@example.org');
    await sign(slug, { name: 'Stranger', email: 'quiet@example.org', partners: ['amdh', 'peoples-assembly'] });
    expect((await item(signatureKey(slug, 'quiet@example.org')))!).not.toHaveProperty('partnerConsents');

    // A stranger's boxes on a request waiting for its link count for nothing until the owner's click, and the
    // owner's own request, without them, replaces them before any click.
    await sign(slug, { name: 'Stranger', email: 'owner@example.org', partners: ['amdh'] });
    expect(rowsOf(await exportCsv(slug, { partner: 'amdh' })).map((r) => r.email)).toEqual(['supporter@example.org']);
    await sign(slug, { name: 'The Owner', email: 'owner@example.org' });
    await confirmAndCount(slug, 'owner@example.org');
    expect((await item(signatureKey(slug, 'owner@example.org')))!).not.toHaveProperty('partnerConsents');
    expect(rowsOf(await exportCsv(slug, { partner: 'amdh' })).map((r) => r.email)).toEqual(['supporter@example.org']);
  });

  it("erasure removes a person's consents with their signature, and the partner's export no longer holds them", async () => {
    const slug = await newCampaign('Erased consents');
    for (const email of ['erased@example.org', 'kept@example.org']) {
      await sign(slug, { name: 'Erasable Person', email, partners: ['amdh', 'peoples-assembly'] });
      await confirmAndCount(slug, email);
    }
    // One more, still waiting for its link: its consents go too.
    await sign(slug, { name: 'Waiting Person', email: 'waiting-erased@example.org', partners: ['amdh'] });
    expect(rowsOf(await exportCsv(slug, { partner: 'amdh' })).map((r) => r.email)).toEqual(['erased@example.org', 'kept@example.org']);

    for (const email of ['erased@example.org', 'waiting-erased@example.org']) {
      expect(await eraseNow(email, { by: 'operator@example.org', reason: 'asked by post' })).toMatchObject({ finished: true });
    }

    expect(rowsOf(await exportCsv(slug, { partner: 'amdh' })).map((r) => r.email)).toEqual(['kept@example.org']);
    expect(rowsOf(await exportCsv(slug, { partner: 'peoples-assembly' })).map((r) => r.email)).toEqual(['kept@example.org']);
    // Nothing in either table still holds a consent of theirs: only the one who stays has consents.
    const withConsents = (await scanAll()).filter((i) => i.campaign === slug && i.partnerConsents !== undefined);
    expect(withConsents.map((i) => i.email)).toEqual(['kept@example.org']);
    expect(await item(signatureKey(slug, 'erased@example.org'))).toBeUndefined();
    expect(await item(signatureKey(slug, 'waiting-erased@example.org'))).toBeUndefined();
  });
});
