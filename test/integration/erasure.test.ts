import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as dailyJob } from '#functions/schedules/anonymise-closed-campaigns.ts';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { mailboxIdentity } from '#shared/domain/email-address.ts';
import { signatureInputSchema } from '#shared/domain/signature.ts';
import { hmac } from '#shared/ids.ts';
import { confirm } from '#shared/use-cases/confirmation.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { confirmationOf, countConfirmations } from '#shared/store/counting.ts';
import { confirmEndorsement, decideEndorsement, endorsementId, getEndorsement, listApprovedEndorsements, recordEndorsement } from '#shared/store/endorsement-store.ts';
import { confirmErasure, erasureKey, requestErasure } from '#shared/store/erasure-store.ts';
import { createDelivery, createOutreach, suppress } from '#shared/store/outreach-store.ts';
import { reconcileCampaign } from '#shared/store/reconciliation.ts';
import { confirmedSignaturePage, confirmSignature, emailKey, listPublicSignatures, personKey, recordSignature } from '#shared/store/signature-store.ts';
import { confirmSubscription, subscribe } from '#shared/store/subscription-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { findToken } from '#shared/store/token-store.ts';
import { sweepUncounted } from '#shared/store/uncounted-sweep.ts';
import { useTestTable } from '#test/support/test-table.ts';
import { linkMessagesOf } from '#test/support/mail-queues.ts';
import { problemFrom } from '#test/support/problems.ts';
import { item, scanAll, type Key } from '#test/support/table-contents.ts';

const sent = vi.hoisted(() => [] as { to: string }[]);
vi.mock('#shared/mail/mailer.ts', () => ({ sendMail: (mail: { to: string }) => Promise.resolve(void sent.push(mail)) }));
const { handler: mailLinks } = await import('#functions/queues/send-confirmations.ts');
const sendConfirmations = (event: DynamoDBStreamEvent) => mailLinks(linkMessagesOf(event));

async function counter(slug: string) {
  const counts = await item(keys.counter(slug));
  return { signatures: Number(counts?.signatures ?? 0), endorsements: Number(counts?.endorsements ?? 0), byCountry: counts?.byCountry ?? {} };
}

/** What the stream does with a request as it stands: mails its link. Returns the link's token. */
async function mailLinkFor(key: Key): Promise<string> {
  const image = (await item(key))!;
  const before = sent.length;
  await sendConfirmations({ Records: [{ eventName: 'INSERT', eventID: key.pk, dynamodb: { SequenceNumber: '1', NewImage: marshall(image, { removeUndefinedValues: true }) as never } }] } as DynamoDBStreamEvent);
  const mail = sent.slice(before).find((m) => m.to === image.email);
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(JSON.stringify(mail ?? ''))?.[1];
  if (!token) throw new Error(`no confirmation mail for ${key.pk}`);
  return token;
}

/** What the stream does with a confirmation: counts it (and lists it), exactly once. */
async function countNow(key: Key): Promise<void> {
  const confirmation = confirmationOf((await item(key))!);
  expect(await countConfirmations([confirmation!])).toEqual([]);
}

const newCampaign = async (title: string) => (await createCampaign(campaignInputSchema.parse({ kind: 'petition', title }), { status: 'open' })).slug;
const signer = (email: string, extra: Record<string, unknown> = {}) =>
  signatureInputSchema.parse({ name: 'Youssef Erasable', email, country: 'MA', postcode: '10000', comment: 'My brother is detained', public: true, ...extra });

describe('erasure', () => {
  beforeAll(async () => {
    await useTestTable('erasure');
  });
  beforeEach(() => {
    // Mail caps would hold back the many links one test person asks for.
    vi.stubEnv('MAILBOX_MAILS_PER_HOUR', '1000');
    vi.stubEnv('MAILBOX_MAILS_PER_DAY', '1000');
    resetConfig();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    resetConfig();
  });

  it('leaves nothing the address or any key of it leads to, keeps every count exact, and locks nobody out', async () => {
    const email = 'Youssef.Erasable@example.org';
    const [counted, uncounted, unconfirmed] = [await newCampaign('Counted before'), await newCampaign('Confirmed, not yet counted'), await newCampaign('Never confirmed')];

    // Someone else signs too, and must keep everything.
    const other = keys.signature(counted, emailKey('stays@example.org'));
    await recordSignature(counted, signer('stays@example.org', { name: 'Stays Listed', comment: 'Solidarity' }));
    await confirmSignature(other);
    await countNow(other);

    const signatures = [counted, uncounted, unconfirmed].map((slug) => keys.signature(slug, emailKey(email)));
    const oldTokens: string[] = [];
    for (const [i, slug] of [counted, uncounted, unconfirmed].entries()) {
      await recordSignature(slug, signer(email));
      oldTokens.push(await mailLinkFor(signatures[i]!));
    }
    await confirm(oldTokens[0]!);
    await countNow(signatures[0]!);
    await confirm(oldTokens[1]!);
    // The stream has not counted this one yet: keep its record, to deliver it late, after the erasure.
    const lateRecord = confirmationOf((await item(signatures[1]!))!)!;

    await subscribe({ email, urgent: true, digest: 'weekly', countries: [], topics: [] });
    oldTokens.push(await mailLinkFor(keys.subscriber(emailKey(email))));
    await confirmSubscription(keys.subscriber(emailKey(email)));

    await recordEndorsement(counted, { organisation: 'Students Solidarity', country: 'MA', email });
    const endorsement = keys.endorsement(endorsementId(counted, { email, organisation: 'Students Solidarity' }));
    oldTokens.push(await mailLinkFor(endorsement));
    await confirmEndorsement(endorsement);
    await decideEndorsement(endorsement.pk.slice('ENDORSEMENT#'.length), 'approved', 'operator-1');
    await countConfirmations([{ campaign: counted, key: endorsement, counter: 'endorsements' }]);

    const outreachId = `erasure-test-${Date.now()}`;
    await createOutreach({ id: outreachId, kind: 'urgent-call', campaign: counted, subject: 'Act now', message: 'Hello', requestedBy: 'operator-1' });
    await createDelivery(outreachId, emailKey(email));

    const countsBefore = { counted: await counter(counted), uncounted: await counter(uncounted) };
    expect(countsBefore.counted).toMatchObject({ signatures: 2, endorsements: 1 });
    expect(countsBefore.uncounted.signatures).toBe(0);

    const audits = async () => (await scanAll()).filter((stored) => stored.type === 'erasure-audit');
    const auditsBefore = new Set((await audits()).map((stored) => stored.pk));
    await requestErasure(email);
    const erasureToken = await mailLinkFor(erasureKey(email));
    // A later bounce (of an urgent call, say) suppressed the address.
    await suppress(emailKey(email), 'bounce');
    expect(await confirm(erasureToken)).toEqual({ status: 'confirmed', kind: 'erasure' });

    // Nothing anywhere holds the address, its dedupe (and subscriber) key, or its person key.
    const traces = [email, email.toLowerCase(), 'youssef.erasable', 'Youssef Erasable', 'My brother is detained', emailKey(email), personKey(email), hmac('mailbox', mailboxIdentity(email))];
    const everything = await scanAll();
    for (const stored of everything) {
      const text = JSON.stringify(stored);
      for (const trace of traces) expect(text, `${String(stored.pk)} holds ${trace}`).not.toContain(trace);
    }
    // What the counts need stays, under random keys, with the day at most.
    const remains = everything.filter((stored) => stored.status === 'erased' && (stored.campaign === counted || stored.campaign === uncounted));
    expect(remains).toHaveLength(2);
    for (const remainder of remains) {
      expect(Object.keys(remainder).sort()).toEqual(['campaign', 'countedAt', 'country', 'gsi2pk', 'gsi2sk', 'pk', 'sk', 'status', 'type']);
      expect(remainder.countedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(await item(erasureKey(email))).toBeUndefined();
    const audit = (await audits()).filter((stored) => !auditsBefore.has(stored.pk));
    expect(audit).toHaveLength(1);
    expect(Object.keys(audit[0]!).sort()).toEqual(['erasedOn', 'gsi2pk', 'gsi2sk', 'items', 'pk', 'sk', 'type']);
    expect(audit[0]).toMatchObject({ erasedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown, items: expect.any(Number) as unknown });

    // Counts: unchanged where counted, the late one counted once; recounts and the nightly sweep agree.
    expect(await counter(counted)).toEqual(countsBefore.counted);
    expect(await counter(uncounted)).toMatchObject({ signatures: 1, byCountry: { MA: 1 } });
    expect(await countConfirmations([lateRecord])).toEqual([]);
    expect((await counter(uncounted)).signatures).toBe(1);
    for (const slug of [counted, uncounted]) {
      const reconciliation = await reconcileCampaign(slug, { apply: false, settleMs: 0 });
      expect(reconciliation).toMatchObject({ drift: 0 });
      expect(reconciliation.recount).toEqual(reconciliation.counter);
    }
    for (const slug of [counted, uncounted]) expect((await sweepUncounted(slug, new Date(Date.now() + 3_600_000).toISOString())).found).toBe(0);

    // The other signer, the organisation's endorsement and the public lists are as they were, without them.
    expect(await item(other)).toMatchObject({ name: 'Stays Listed', status: 'confirmed' });
    expect((await listPublicSignatures(counted, { limit: 100 })).items.map((s) => s.name)).toEqual(['Stays Listed']);
    expect((await confirmedSignaturePage(counted, { limit: 100 })).items.map((s) => s.email)).toEqual(['stays@example.org']);
    expect((await listApprovedEndorsements(counted, { limit: 100 })).items).toEqual([{ organisation: 'Students Solidarity', country: 'MA' }]);
    expect((await problemFrom(getEndorsement(endorsement.pk.slice('ENDORSEMENT#'.length)))).status).toBe(404);

    // Every link of the person, the erasure's own too, is gone.
    for (const token of [...oldTokens, erasureToken]) {
      expect(await findToken(token)).toBeUndefined();
      expect((await problemFrom(confirm(token))).status).toBe(404);
    }

    // The address is a stranger now: signing the same campaign again is a new signature, mailed, counted once more.
    sent.length = 0;
    expect(await recordSignature(counted, signer(email, { name: 'Signed Again' }))).toBe('recorded');
    const again = await mailLinkFor(signatures[0]!);
    expect(sent.map((mail) => mail.to)).toEqual([email]);
    expect(oldTokens).not.toContain(again);
    await confirm(again);
    await countNow(signatures[0]!);
    expect((await counter(counted)).signatures).toBe(countsBefore.counted.signatures + 1);
    expect((await reconcileCampaign(counted, { apply: false, settleMs: 0 })).drift).toBe(0);
  });

  it('is idempotent: concurrent clicks, a later click and the daily job erase nothing more and fail nothing', async () => {
    const email = 'twice@example.org';
    const slug = await newCampaign('Clicked twice');
    const signature = keys.signature(slug, emailKey(email));
    await recordSignature(slug, signer(email));
    await confirmSignature(signature);
    await countNow(signature);
    await requestErasure(email);
    const key = erasureKey(email);

    const outcomes = await Promise.all([confirmErasure(key), confirmErasure(key)]);
    expect(outcomes.sort()).toEqual(['already-confirmed', 'confirmed']);
    expect(await confirmErasure(key)).toBe('already-confirmed');
    expect((await dailyJob()).erasuresFinished).toBe(0);

    expect(await item(key)).toBeUndefined();
    expect(await item(signature)).toBeUndefined();
    const remains = (await scanAll()).filter((stored) => stored.campaign === slug && stored.type === 'signature');
    expect(remains).toHaveLength(1);
    expect(await counter(slug)).toMatchObject({ signatures: 1 });
    expect((await reconcileCampaign(slug, { apply: false, settleMs: 0 })).drift).toBe(0);
  });

  it('goes a page at a time: a click out of time leaves the rest, and the daily job finishes it', async () => {
    const email = 'many-items@example.org';
    await requestErasure(email);
    const key = erasureKey(email);
    const person = `PERSON#${personKey(email)}`;
    // Sixty links filed under the person, as the mailer files them.
    for (let i = 0; i < 60; i++) {
      await db().send(new PutCommand({ TableName: tableName(), Item: { pk: `TOKEN#many-${i}`, sk: 'TOKEN', type: 'token', gsi3pk: person, gsi3sk: `SIGNATURE#c${i}` } }));
    }
    const filed = async () => (await scanAll()).filter((stored) => stored.gsi3pk === person && stored.type === 'token').length;

    expect(await confirmErasure(key, {}, 0)).toBe('confirmed');
    expect(await item(key)).toMatchObject({ status: 'erasing', email });
    const left = await filed();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(60);

    expect((await dailyJob()).erasuresFinished).toBe(1);
    expect(await filed()).toBe(0);
    expect(await item(key)).toBeUndefined();
    const audits = (await scanAll()).filter((stored) => stored.type === 'erasure-audit' && stored.items === 60);
    expect(audits).toHaveLength(1);
  });
});
