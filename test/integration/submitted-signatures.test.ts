import type { EventBridgeEvent } from 'aws-lambda';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '#functions/events/record-submitted-signature.ts';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { logger } from '#shared/observability.ts';
import { addBlock } from '#shared/store/blocklist-store.ts';
import { createCampaign, transitionCampaign } from '#shared/store/campaign-store.ts';
import { claimReceipts, leaseSeconds, receiptState } from '#shared/store/event-receipt-store.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { keys } from '#shared/store/table.ts';
import { item, scanAll } from '#test/support/table-contents.ts';
import { useTestTable } from '#test/support/test-table.ts';

/**
 * RecordSubmittedSignature against DynamoDB Local: a `SignatureSubmitted` event is recorded as the signing route
 * records a request (pending, deduplicated, guarded), once per event id and idempotency key, with the account
 * that put it as its source; a bad event changes nothing; a partner's limits hold.
 */

const partner = '111122223333';
const otherPartner = '444455556666';
let events = 0;
let people = 0;

type BusEvent = EventBridgeEvent<string, unknown>;

function submitted(detail: Record<string, unknown>, options: { id?: string; account?: string } = {}): BusEvent {
  return {
    version: '0',
    id: options.id ?? `0e6c5a1e-0000-4000-8000-${String(++events).padStart(12, '0')}`,
    'detail-type': 'SignatureSubmitted',
    source: 'org.example.partner',
    account: options.account ?? partner,
    time: '2036-03-01T10:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

/** A signer no other test uses. */
const person = () => ({ name: `Signer ${++people}`, email: `signer-${people}@example.org`, country: 'MA' });

let campaigns = 0;
async function openCampaign(): Promise<string> {
  return (await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: `Submitted ${++campaigns}` }), { status: 'open' })).slug;
}

const signature = (slug: string, email: string) => item(keys.signature(slug, emailKey(email)));

describe('SignatureSubmitted events, recorded as the signing route records requests', () => {
  let slug: string;

  beforeAll(async () => {
    await useTestTable('submitted');
  });
  beforeEach(async () => {
    // Early in an hour: a test's events fall in one window of every limit.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2036-03-01T10:00:01Z'));
    slug = await openCampaign();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    resetConfig();
  });

  it('records a pending signature waiting for its link, its source the account that put it on the bus', async () => {
    const signer = person();
    const detail = { slug, ...signer, public: true, locale: 'fr', source: { utm_campaign: 'vigil' }, idempotencyKey: 'row-0001-aaaaaaaaaaaa' };
    expect(await handler(submitted(detail))).toEqual({ outcome: 'recorded' });
    const stored = await signature(slug, signer.email);
    expect(stored).toMatchObject({ type: 'signature', campaign: slug, name: signer.name, email: signer.email, country: 'MA', public: true, locale: 'fr', status: 'pending', linkRequests: 1 });
    expect(stored?.source).toEqual({ utm_campaign: 'vigil', account: partner });
    // Nothing of the event's own bookkeeping is stored on the signature.
    expect(stored).not.toHaveProperty('idempotencyKey');
    expect(stored).not.toHaveProperty('slug');
  });

  it('changes nothing on a second delivery of the same event, in either table', async () => {
    const event = submitted({ slug, ...person(), subscribe: true });
    expect(await handler(event)).toEqual({ outcome: 'recorded' });
    const before = await scanAll();
    expect(await handler(event)).toEqual({ outcome: 'duplicate' });
    expect(await handler(structuredClone(event))).toEqual({ outcome: 'duplicate' });
    expect(await scanAll()).toEqual(before);
    expect(await receiptState(partner, { kind: 'event-id', value: event.id })).toEqual({ state: 'done', outcome: 'recorded' });
  });

  it("records an account's idempotency key once, whatever event carries it; another account's same key is its own", async () => {
    const signer = person();
    const detail = { slug, ...signer, idempotencyKey: 'partner-action-42-bbbbbbbb' };
    expect(await handler(submitted(detail))).toEqual({ outcome: 'recorded' });
    const before = await scanAll();
    // The partner put it again after a timeout: EventBridge gave it a new id.
    expect(await handler(submitted(detail))).toEqual({ outcome: 'duplicate' });
    expect(await scanAll()).toEqual(before);
    // Another partner cannot spend (or block) this partner's keys: its request is recorded as a repeat would be.
    expect(await handler(submitted(detail, { account: otherPartner }))).toEqual({ outcome: 'recorded' });
    expect(await signature(slug, signer.email)).toMatchObject({ linkRequests: 2, source: { account: otherPartner } });
  });

  it('dedupes by person as the route does: a repeat from a pending signer asks for another link, still one signature', async () => {
    const signer = person();
    expect(await handler(submitted({ slug, ...signer }))).toEqual({ outcome: 'recorded' });
    expect(await handler(submitted({ slug, ...signer, name: 'Newest Name', email: signer.email.toUpperCase() }))).toEqual({ outcome: 'recorded' });
    expect(await signature(slug, signer.email)).toMatchObject({ name: 'Newest Name', linkRequests: 2, status: 'pending' });
  });

  it('drops a bad event and changes nothing: a broken detail, a campaign that takes no signatures, a blocked domain', async () => {
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const warnings = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const closed = await openCampaign();
    await transitionCampaign(closed, ['open'], 'closed');
    await addBlock({ kind: 'email-domain', value: 'spam.example', reason: 'test', by: 'test' });
    const before = await scanAll();

    const broken = submitted({ slug, ...person(), email: 'not an address', website: 'bot' });
    expect(await handler(broken)).toEqual({ dropped: 'malformed-detail' });
    expect(await handler(submitted({ slug: 'no-such-campaign', ...person() }))).toEqual({ outcome: 'rejected', reason: 'not-found' });
    expect(await handler(submitted({ slug: closed, ...person() }))).toEqual({ outcome: 'rejected', reason: 'campaign-closed' });
    expect(await handler(submitted({ slug, ...person(), email: 'someone@spam.example' }))).toEqual({ outcome: 'rejected', reason: 'blocked' });
    expect(await handler(submitted({ slug, ...person() }, { account: 'not-an-account' }))).toEqual({ outcome: 'rejected', reason: 'unknown-account' });
    expect(await scanAll()).toEqual(before);

    // Logged by event id and reason, never a name or an address.
    const logged = JSON.stringify([...errors.mock.calls, ...warnings.mock.calls]);
    expect(logged).toContain(broken.id);
    expect(logged).toContain('campaign-closed');
    expect(logged).not.toMatch(/@|Signer \d/);
  });

  it("holds each account to its own limits, beside the campaign's, and records a refused event when it comes again later", async () => {
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    for (const [name, value] of Object.entries({ RATE_LIMIT_SOURCE_BURST: '2/60', RATE_LIMIT_SOURCE_SUSTAINED: '0', RATE_LIMIT_CAMPAIGN_BURST: '0', RATE_LIMIT_CAMPAIGN_SUSTAINED: '0' })) {
      vi.stubEnv(name, value);
    }
    resetConfig();
    const limited = `${otherPartner.slice(0, 6)}000001`;
    expect(await handler(submitted({ slug, ...person() }, { account: limited }))).toEqual({ outcome: 'recorded' });
    expect(await handler(submitted({ slug, ...person() }, { account: limited }))).toEqual({ outcome: 'recorded' });
    const third = person();
    const refused = submitted({ slug, ...third }, { account: limited });
    // Thrown, so that EventBridge and Lambda try it again; nothing of it is kept meanwhile.
    await expect(handler(refused)).rejects.toMatchObject({ status: 429 });
    expect(await signature(slug, third.email)).toBeUndefined();
    expect(await receiptState(limited, { kind: 'event-id', value: refused.id })).toBeUndefined();
    // Another account has a budget of its own.
    expect(await handler(submitted({ slug, ...person() }, { account: `${otherPartner.slice(0, 6)}000002` }))).toEqual({ outcome: 'recorded' });
    // The next window: the retry is recorded.
    vi.setSystemTime(new Date('2036-03-01T10:01:01Z'));
    expect(await handler(refused)).toEqual({ outcome: 'recorded' });
    expect(await signature(slug, third.email)).toMatchObject({ status: 'pending', source: { account: limited } });
  });

  it('leaves an event another delivery is recording to be tried again, and takes it over once that lease ran out', async () => {
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const event = submitted({ slug, ...person() });
    // A delivery of the same event that died half-way (or is still under way): its claim holds the receipt.
    expect((await claimReceipts(event.account, [{ kind: 'event-id', value: event.id }])).claimed).toBe(true);
    await expect(handler(event)).rejects.toThrow('being recorded by another delivery');
    vi.setSystemTime(new Date(Date.now() + (leaseSeconds + 1) * 1000));
    expect(await handler(event)).toEqual({ outcome: 'recorded' });
    expect(await handler(event)).toEqual({ outcome: 'duplicate' });
  });
});
