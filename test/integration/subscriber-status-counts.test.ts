import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as subscriberSummary } from '#functions/http/admin/subscriber-summary.ts';
import { asFunction, guardItemAccess } from '#infra/local/item-access.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { manifest } from '#infra/manifest.ts';
import { resetConfig } from '#shared/config.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { emptyTally, addToTally, mergeTallies } from '#shared/domain/subscriber-summary.ts';
import { subscriptionInputSchema } from '#shared/domain/subscription.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { scanSubscriberProfiles } from '#shared/store/subscriber-scan.ts';
import { confirmSignature, emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { confirmSubscription, subscribe, unsubscribe } from '#shared/store/subscription-store.ts';
import { db, keys } from '#shared/store/table.ts';
import { httpEvent } from '#test/support/http-event.ts';
import { useTestTable } from '#test/support/test-table.ts';

const operator = { authorization: 'Bearer operator-token-for-tests' };
const summarySpec = manifest.find((spec) => spec.name === 'AdminSubscriberSummary')!;

/** The handler as the local runtime runs it: as its manifest entry, refused what its IAM grant would refuse. */
async function summary(query: Record<string, string>, spec = summarySpec): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const result = (await asFunction(spec, async () =>
    subscriberSummary(httpEvent({ method: 'GET', route: '/admin/subscribers/summary', query, headers: operator }), lambdaContext('SubscriberStatusCounts', 29)),
  )) as APIGatewayProxyStructuredResultV2;
  return { statusCode: result.statusCode ?? 0, body: JSON.parse(String(result.body)) as Record<string, unknown> };
}

async function subscriber(email: string, status: 'unconfirmed' | 'confirmed' | 'unsubscribed', fields: Record<string, unknown> = {}): Promise<void> {
  await subscribe(subscriptionInputSchema.parse({ email, ...fields }));
  if (status === 'unconfirmed') return;
  await confirmSubscription(keys.subscriber(emailKey(email)));
  if (status === 'unsubscribed') await unsubscribe(emailKey(email));
}

beforeAll(async () => {
  await useTestTable('subscriber-status-counts');
  process.env.ADMIN_TOKEN = 'operator-token-for-tests';
  process.env.CURSOR_SECRET = 'cursor-secret-for-integration-tests';
  resetConfig();
  guardItemAccess(db());
  await subscriber('waiting@example.org', 'unconfirmed', { locale: 'fr', countries: ['MA'] });
  await subscriber('reading@example.org', 'confirmed', { locale: 'ar', countries: ['MA'], topics: ['press-freedom'] });
  await subscriber('reading-too@example.org', 'confirmed', { digest: 'none' });
  await subscriber('gone@example.org', 'unsubscribed', { locale: 'fr', countries: ['TR'], urgent: false });
  // Items that are not subscribers: a campaign, its counter and a confirmed signature by a subscriber's address.
  const campaign = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Counted apart' }), { status: 'open' });
  await recordSignature(campaign.slug, { name: 'Reader', email: 'reading@example.org', country: 'MA', public: true, subscribe: false });
  await confirmSignature(keys.signature(campaign.slug, emailKey('reading@example.org')));
});

describe('subscriber counts of every status', () => {
  it('counts waiting, confirmed and unsubscribed subscribers, and nothing else the table holds', async () => {
    const answer = await summary({ statuses: 'all' });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toMatchObject({
      total: 4,
      byStatus: { unconfirmed: 1, confirmed: 2, unsubscribed: 1 },
      byLocale: { fr: 2, ar: 1, en: 1 },
      byCountry: { MA: 2, TR: 1, all: 1 },
      urgent: { on: 3, off: 1 },
      digest: { weekly: 3, none: 1 },
      nextCursor: null,
    });
    // No address or name comes back, whatever the read.
    expect(JSON.stringify(answer.body)).not.toMatch(/@example\.org|Reader/);
  });

  it('keeps the cheap confirmed-only read as the default', async () => {
    const answer = await summary({});
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toMatchObject({ total: 2, byStatus: { confirmed: 2 }, nextCursor: null });
  });

  it('scans only because its manifest entry says so, as its IAM grant on AWS would', async () => {
    const withoutScan = { ...summarySpec, scan: false };
    expect((await summary({}, withoutScan)).statusCode).toBe(200);
    expect((await summary({ statuses: 'all' }, withoutScan)).statusCode).toBe(500);
  });

  it('applies the filters to every status as to confirmed subscribers', async () => {
    expect((await summary({ statuses: 'all', locale: 'fr' })).body).toMatchObject({ total: 2, byStatus: { unconfirmed: 1, unsubscribed: 1 } });
    // Whoever chose no country wants everything, so counts under every country asked for.
    expect((await summary({ statuses: 'all', country: 'MA' })).body).toMatchObject({ total: 3, byStatus: { unconfirmed: 1, confirmed: 2 } });
    expect((await summary({ statuses: 'sometimes' })).statusCode).toBe(400);
  });

  it('reads the table a few items at a time, and the pages add up to the whole, none counted twice', async () => {
    let tally = emptyTally();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await scanSubscriberProfiles({ limit: 2, cursor });
      const part = emptyTally();
      for (const profile of page.items) addToTally(part, profile);
      tally = mergeTallies(tally, part);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(2);
    expect(tally.total).toBe(4);
    expect(tally.byStatus).toEqual({ unconfirmed: 1, confirmed: 2, unsubscribed: 1 });
  });

  it('continues only the read that issued a cursor', async () => {
    const first = await scanSubscriberProfiles({ limit: 1 });
    const scanCursor = first.nextCursor;
    expect(scanCursor).toEqual(expect.any(String));
    // The handler goes on after the first item read (a subscriber or not): the rest, and only the rest.
    const continued = await summary({ statuses: 'all', cursor: scanCursor! });
    expect(continued.statusCode).toBe(200);
    expect(continued.body.total).toBe(4 - first.items.length);
    // The same cursor on the confirmed-subscribers read is refused, and so is a forged one.
    const foreign = await summary({ cursor: scanCursor! });
    expect(foreign.statusCode).toBe(400);
    expect((await summary({ statuses: 'all', cursor: 'not-a-cursor' })).statusCode).toBe(400);
  });
});
