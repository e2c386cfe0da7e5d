import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as createEndorsement } from '#functions/http/create-endorsement.ts';
import { handler as createSignature } from '#functions/http/create-signature.ts';
import { handler as listEndorsements } from '#functions/http/list-endorsements.ts';
import { handler as adminListEndorsements } from '#functions/http/admin/list-endorsements.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema, type CampaignInput } from '#shared/domain/campaign.ts';
import { endorsementInputSchema } from '#shared/domain/endorsement.ts';
import type { HttpHandler } from '#shared/http/handler.ts';
import { confirm } from '#shared/use-cases/confirmation.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { countConfirmations } from '#shared/store/counting.ts';
import {
  confirmEndorsement,
  decideEndorsement,
  endorsementId,
  getEndorsement,
  listApprovedEndorsements,
  listEndorsementsByStatus,
  recordApprovedEndorsement,
  recordEndorsement,
} from '#shared/store/endorsement-store.ts';
import { erasureKey, requestErasure } from '#shared/store/erasure-store.ts';
import { keys } from '#shared/store/table.ts';
import { httpEvent, jsonPost } from '#test/support/http-event.ts';
import { linkMessagesOf } from '#test/support/mail-queues.ts';
import { item, scanAll, type Key } from '#test/support/table-contents.ts';
import { problemFrom } from '#test/support/problems.ts';
import { useTestTable } from '#test/support/test-table.ts';

const sent = vi.hoisted(() => [] as { to: string; subject: string; text: string }[]);
vi.mock('#shared/mail/mailer.ts', () => ({ sendMail: (mail: { to: string; subject: string; text: string }) => Promise.resolve(void sent.push(mail)) }));
const { handler: mailLinks } = await import('#functions/queues/send-confirmations.ts');

/** What the stream does with a request as it stands: mails its link. Returns the mail and the link's token. */
async function mailLinkFor(key: Key): Promise<{ mail: (typeof sent)[number]; token: string }> {
  const image = (await item(key))!;
  const before = sent.length;
  const event = { Records: [{ eventName: 'INSERT', eventID: key.pk, dynamodb: { SequenceNumber: '1', NewImage: marshall(image, { removeUndefinedValues: true }) as never } }] };
  await mailLinks(linkMessagesOf(event as DynamoDBStreamEvent));
  const mail = sent.slice(before).find((m) => m.to === image.email);
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(JSON.stringify(mail ?? ''))?.[1];
  if (!mail || !token) throw new Error(`no confirmation mail for ${key.pk}`);
  return { mail, token };
}

let request = 0;
/** Each request from its own address, so the per-IP limits never refuse one. */
const from = () => `198.51.100.${++request % 250}`;

async function call(handler: HttpHandler, event: APIGatewayProxyEventV2): Promise<{ status: number; body: Record<string, unknown> }> {
  const result = await handler(event, lambdaContext('Endorsements', 10));
  return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
}

const campaign = async (fields: Partial<CampaignInput> & { title: string }) =>
  (await createCampaign(campaignInputSchema.parse({ kind: 'statement', ...fields }), { status: 'open' })).slug;

const organisations = ['Atlas Rights', 'Bridges', 'Casablanca Voices', 'Dakhla Solidarity', 'Essaouira Women', 'Fes Students', 'Gueliz Workers'];

const adminToken = 'endorsements-test-admin-token';

beforeAll(async () => {
  await useTestTable('endorsements');
  process.env.ADMIN_TOKEN = adminToken;
  resetConfig();
});

describe("a campaign's endorsing organisations, oldest or newest first", () => {
  let slug: string;

  beforeAll(async () => {
    slug = await campaign({ title: 'Order of the organisations' });
    // One a minute, in 2036 (DynamoDB Local deletes items whose TTL has passed): each its own approval time.
    vi.useFakeTimers({ now: new Date('2036-03-01T10:00:00Z'), toFake: ['Date'] });
    for (const organisation of organisations) {
      await recordApprovedEndorsement(slug, { organisation, country: 'MA' });
      vi.setSystemTime(Date.now() + 60_000);
    }
    vi.useRealTimers();
  });

  /** Every page of the list, `limit` at a time, through the public route. */
  async function pages(query: Record<string, string>): Promise<string[][]> {
    const all: string[][] = [];
    let cursor: string | undefined;
    do {
      const answer = await call(
        listEndorsements,
        httpEvent({ route: '/campaigns/{slug}/endorsements', pathParameters: { slug }, query: { ...query, ...(cursor ? { cursor } : {}) } }),
      );
      expect(answer.status).toBe(200);
      all.push((answer.body.items as { organisation: string }[]).map((e) => e.organisation));
      cursor = (answer.body.nextCursor as string | null) ?? undefined;
    } while (cursor);
    return all;
  }

  it('lists them in the order they joined by default, and newest first when asked, page after page', async () => {
    expect(await pages({ limit: '3' })).toEqual([organisations.slice(0, 3), organisations.slice(3, 6), organisations.slice(6)]);
    expect(await pages({ limit: '3', order: 'oldest' })).toEqual([organisations.slice(0, 3), organisations.slice(3, 6), organisations.slice(6)]);
    const reversed = [...organisations].reverse();
    expect(await pages({ limit: '3', order: 'newest' })).toEqual([reversed.slice(0, 3), reversed.slice(3, 6), reversed.slice(6)]);
    // What the widget asks for: the five that joined last.
    expect((await listApprovedEndorsements(slug, { limit: 5, order: 'newest' })).items.map((e) => e.organisation)).toEqual(reversed.slice(0, 5));
  });

  it('refuses a cursor of one order for the other, and an order it does not know', async () => {
    const oldest = await listApprovedEndorsements(slug, { limit: 2 });
    const mixed = await problemFrom(listApprovedEndorsements(slug, { limit: 2, order: 'newest', cursor: oldest.nextCursor! }));
    expect(mixed.status).toBe(400);
    const unknown = await call(listEndorsements, httpEvent({ route: '/campaigns/{slug}/endorsements', pathParameters: { slug }, query: { order: 'random' } }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'order' })]);
  });
});

describe("an endorsement's contact", () => {
  afterEach(() => {
    sent.length = 0;
  });

  it("keeps the name for operators only, and mails the confirmation in the form's language", async () => {
    const slug = await campaign({ title: 'Contacts', locale: 'en' });
    const answer = await call(
      createEndorsement,
      jsonPost('/campaigns/{slug}/endorsements', { organisation: 'Rabat Rights', country: 'MA', email: 'salma@example.org', contactName: '  Salma El Idrissi ', locale: 'ar' }, { pathParameters: { slug }, sourceIp: from() }),
    );
    expect(answer.status).toBe(202);
    const id = endorsementId(slug, { email: 'salma@example.org', organisation: 'Rabat Rights' });
    const key = keys.endorsement(id);
    expect(await item(key)).toMatchObject({ contactName: 'Salma El Idrissi', locale: 'ar' });

    const { mail, token } = await mailLinkFor(key);
    expect(mail.subject).toMatch(/^يُرجى تأكيد تأييد منظمتكم/);
    await confirm(token);
    await decideEndorsement(id, 'approved', 'operator-1');

    expect(await getEndorsement(id)).toMatchObject({ contactName: 'Salma El Idrissi', email: 'salma@example.org', status: 'approved' });
    const operators = await call(adminListEndorsements, httpEvent({ route: '/admin/endorsements', query: { status: 'approved' }, headers: { authorization: `Bearer ${adminToken}` } }));
    const theirs = (operators.body.items as { campaign: string }[]).filter((e) => e.campaign === slug);
    expect(theirs).toEqual([expect.objectContaining({ organisation: 'Rabat Rights', email: 'salma@example.org', contactName: 'Salma El Idrissi' })]);
    const listed = await call(listEndorsements, httpEvent({ route: '/campaigns/{slug}/endorsements', pathParameters: { slug } }));
    expect(listed.body.items).toEqual([{ organisation: 'Rabat Rights', country: 'MA' }]);
    expect(JSON.stringify(listed.body)).not.toContain('Salma');
  });

  it('drops the name and language when a repeat request leaves them out', async () => {
    const slug = await campaign({ title: 'Repeats' });
    const input = { organisation: 'Tangier Collective', country: 'MA', email: 'repeat@example.org' };
    await recordEndorsement(slug, endorsementInputSchema.parse({ ...input, contactName: 'Karim Repeat', locale: 'fr' }));
    await recordEndorsement(slug, endorsementInputSchema.parse(input));
    const stored = (await item(keys.endorsement(endorsementId(slug, input))))!;
    expect(stored.contactName).toBeUndefined();
    expect(stored.locale).toBeUndefined();
  });

  it.each([
    ['a line break', 'Salma\nEl Idrissi'],
    ['more than 200 characters', 'S'.repeat(201)],
    ['a direction override', 'Salma\u202eidrissi'],
  ])('refuses a contact name with %s and records nothing', async (_, contactName) => {
    const slug = await campaign({ title: `Bad names ${++request}` });
    const answer = await call(
      createEndorsement,
      jsonPost('/campaigns/{slug}/endorsements', { organisation: 'Oujda Forum', country: 'MA', email: 'bad@example.org', contactName }, { pathParameters: { slug }, sourceIp: from() }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'contactName' })]);
    expect(await item(keys.endorsement(endorsementId(slug, { email: 'bad@example.org', organisation: 'Oujda Forum' })))).toBeUndefined();
  });

  it('erases the name with the address, awaiting an operator or approved and counted', async () => {
    const email = 'erase-contact@example.org';
    const waiting = await campaign({ title: 'Erased while waiting' });
    const approved = await campaign({ title: 'Erased once approved' });
    for (const slug of [waiting, approved]) {
      await recordEndorsement(slug, endorsementInputSchema.parse({ organisation: 'Meknes Network', country: 'MA', email, contactName: 'Nadia Erasable', locale: 'fr' }));
      const key = keys.endorsement(endorsementId(slug, { email, organisation: 'Meknes Network' }));
      await confirmEndorsement(key);
      if (slug === approved) {
        await decideEndorsement(key.pk.slice('ENDORSEMENT#'.length), 'approved', 'operator-1');
        await countConfirmations([{ campaign: slug, key, counter: 'endorsements' }]);
      }
    }
    expect((await listEndorsementsByStatus('pending', { limit: 100 })).items.map((e) => e.contactName)).toContain('Nadia Erasable');

    await requestErasure(email);
    const { token } = await mailLinkFor(erasureKey(email));
    expect(await confirm(token)).toEqual({ status: 'confirmed', kind: 'erasure' });

    for (const stored of await scanAll()) expect(JSON.stringify(stored), String(stored.pk)).not.toMatch(/Nadia Erasable|erase-contact/);
    // The organisations' endorsements stay, without their contact.
    const remains = (await scanAll()).filter((stored) => stored.type === 'endorsement' && stored.organisation === 'Meknes Network');
    expect(remains).toHaveLength(2);
    for (const remainder of remains) {
      expect(remainder.contactName).toBeUndefined();
      expect(remainder.locale).toBeUndefined();
    }
    expect((await listApprovedEndorsements(approved, { limit: 10 })).items).toEqual([{ organisation: 'Meknes Network', country: 'MA' }]);
  });
});

describe('who a campaign gathers, enforced', () => {
  const signature = { name: 'Amina Benali', email: 'amina@example.org', country: 'MA' };
  const endorsement = { organisation: 'Agadir Forum', country: 'MA', email: 'forum@example.org' };

  it('refuses a signature on a statement only organisations endorse, and writes nothing', async () => {
    const slug = await campaign({ title: 'Organisations only', signers: 'organisations' });
    const before = await scanAll();
    const answer = await call(createSignature, jsonPost('/campaigns/{slug}/signatures', signature, { pathParameters: { slug }, sourceIp: from() }));
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ type: 'https://tadamon.org/problems/organisations-only', status: 409 });
    expect(await scanAll()).toEqual(before);
    // Its organisations still may.
    expect((await call(createEndorsement, jsonPost('/campaigns/{slug}/endorsements', endorsement, { pathParameters: { slug }, sourceIp: from() }))).status).toBe(202);
  });

  it('refuses an endorsement of a campaign only people sign, and writes nothing', async () => {
    for (const fields of [{ kind: 'petition' as const, signers: 'people' as const }, { kind: 'statement' as const, signers: 'people' as const }]) {
      const slug = await campaign({ title: `People only ${fields.kind}`, ...fields });
      const before = await scanAll();
      const answer = await call(createEndorsement, jsonPost('/campaigns/{slug}/endorsements', endorsement, { pathParameters: { slug }, sourceIp: from() }));
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ type: 'https://tadamon.org/problems/people-only', status: 409 });
      expect(await scanAll()).toEqual(before);
      expect((await call(createSignature, jsonPost('/campaigns/{slug}/signatures', signature, { pathParameters: { slug }, sourceIp: from() }))).status).toBe(202);
    }
  });

  it('takes both on a campaign that sets nothing, of any kind, as the v1 contract does', async () => {
    for (const kind of ['statement', 'petition', 'appeal'] as const) {
      const slug = await campaign({ title: `Both by default ${kind}`, kind });
      expect((await call(createSignature, jsonPost('/campaigns/{slug}/signatures', signature, { pathParameters: { slug }, sourceIp: from() }))).status).toBe(202);
      expect((await call(createEndorsement, jsonPost('/campaigns/{slug}/endorsements', endorsement, { pathParameters: { slug }, sourceIp: from() }))).status).toBe(202);
    }
  });
});
