import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as deliveryDocument } from '#functions/http/admin/get-delivery-pdf.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { resetConfig } from '#shared/config.ts';
import { deliveryPart } from '#shared/delivery/delivery-part.ts';
import { campaignInputSchema, type CampaignInput } from '#shared/domain/campaign.ts';
import { createCampaign, getCampaign } from '#shared/store/campaign-store.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { confirmationOf, countConfirmations, type Confirmation } from '#shared/store/counting.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { httpEvent } from '#test/support/http-event.ts';
import { pdfText, plain } from '#test/support/pdf-text.ts';
import { useTestTable } from '#test/support/test-table.ts';

const route = '/admin/campaigns/{slug}/delivery.pdf';

async function get(slug: string, query: Record<string, string> = {}, token = 'operator-token-for-tests'): Promise<APIGatewayProxyStructuredResultV2> {
  const event = httpEvent({ route, pathParameters: { slug }, query, headers: { authorization: `Bearer ${token}` } });
  return (await deliveryDocument(event, lambdaContext('AdminDeliveryDocument', 29))) as APIGatewayProxyStructuredResultV2;
}

const pdfOf = (answer: APIGatewayProxyStructuredResultV2) => Buffer.from(String(answer.body), 'base64');

async function signed(slug: string, people: Array<{ name: string; country: string; public: boolean }>): Promise<void> {
  const confirmations: Confirmation[] = [];
  for (const [i, person] of people.entries()) {
    const email = `${slug}-${i}@example.org`;
    await recordSignature(slug, { ...person, email, subscribe: false });
    const key = keys.signature(slug, emailKey(email));
    await confirmSignature(key);
    // As the stream's counting does: the confirmation with its listings (the export index, the public list).
    const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
    confirmations.push(confirmationOf(Item!)!);
  }
  await countConfirmations(confirmations);
}

async function campaignWith(input: Partial<CampaignInput>, people: Array<{ name: string; country: string; public: boolean }>): Promise<string> {
  const campaign = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Free the Rif prisoners', ...input }), { status: 'open' });
  await signed(campaign.slug, people);
  return campaign.slug;
}

const people = [
  { name: 'سلمى بنعلي', country: 'MA', public: true },
  { name: 'Hidden Person', country: 'FR', public: false },
  { name: 'Youssef Haddad', country: 'TN', public: true },
];

beforeAll(async () => {
  await useTestTable('delivery-document');
  process.env.ADMIN_TOKEN = 'operator-token-for-tests';
  process.env.CURSOR_SECRET = 'cursor-secret-for-integration-tests';
  resetConfig();
});

describe('the delivery document over the operator API', () => {
  it('is for operators only', async () => {
    const slug = await campaignWith({}, []);
    const answer = await get(slug, {}, 'not-the-token');
    expect(answer.statusCode).toBe(401);
  });

  it('lists only the public names by default, with the letter and the total in the campaign language', async () => {
    const slug = await campaignWith(
      { locale: 'ar', title: 'الحرية لمعتقلي الريف', target: 'وزير العدل', letter: 'نطالب بالإفراج الفوري عن المعتقلين.', demands: ['محاكمة عادلة'] },
      people,
    );
    const answer = await get(slug);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'application/pdf', 'x-name-count': '2', 'cache-control': 'no-store' });
    expect(answer.headers?.link).toBeUndefined();
    const text = plain(pdfText(pdfOf(answer)));
    for (const words of ['الحرية لمعتقلي الريف', 'وزير العدل', 'نطالب', 'الفوري عن المعتقلين', 'محاكمة عادلة', 'سلمى بنعلي', 'Youssef Haddad']) expect(text).toContain(words);
    expect(text).toMatch(/\b3 ?توقيع/u);
    expect(text).not.toContain('Hidden Person');
  });

  it('refuses all names with 409 unless the campaign says its signers agreed, and then lists everyone', async () => {
    const slug = await campaignWith({ title: 'Names only with consent' }, people);
    const refused = await get(slug, { names: 'all' });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers?.['content-type']).toContain('application/problem+json');
    expect(JSON.parse(String(refused.body))).toMatchObject({ status: 409 });

    const consented = await campaignWith({ title: 'Names with consent', deliverAllNames: true }, people);
    expect((await getCampaign(consented)).deliverAllNames).toBe(true);
    const answer = await get(consented, { names: 'all' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['x-name-count']).toBe('3');
    expect(plain(pdfText(pdfOf(answer)))).toContain('Hidden Person');
  });

  it('answers a bad query with 400 and an unknown campaign with 404', async () => {
    expect((await get('no-such-campaign')).statusCode).toBe(404);
    const slug = await campaignWith({ title: 'Bad queries' }, []);
    expect((await get(slug, { names: 'everyone' })).statusCode).toBe(400);
  });

  it('comes in parts when the list outgrows a part, each part going on where the last stopped', async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `Signer ${i}`, country: 'MA', public: true }));
    const slug = await campaignWith({ title: 'A long list' }, many);
    // Every part outgrows its byte budget at once: a part is then one read of names.
    const budget = { maxBytes: 1, maxMs: 60_000, namesPerRead: 7 };
    const first = await deliveryPart(slug, { names: 'public', from: 1, at: new Date('2036-03-01T00:00:00Z') }, budget);
    expect(first.names).toBe(7);
    expect(first.nextCursor).toBeDefined();
    const second = await deliveryPart(slug, { names: 'public', cursor: first.nextCursor, from: 8, at: new Date('2036-03-01T00:00:00Z') }, budget);
    expect(second.names).toBe(5);
    expect(second.nextCursor).toBeUndefined();
    const firstText = plain(pdfText(first.pdf));
    const secondText = plain(pdfText(second.pdf));
    const listed = (text: string) => new Set([...text.matchAll(/Signer (\d+)/g)].map((match) => match[1]));
    const both = new Set([...listed(firstText), ...listed(secondText)]);
    expect(both.size).toBe(12);
    expect(secondText).toContain('continued from number 8');
    expect(firstText).toContain('The list continues in the next part');
  });
});
