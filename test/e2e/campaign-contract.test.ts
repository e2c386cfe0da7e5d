import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-contract-'));
let stack: LocalProcess;

const api = (pathname: string, init: RequestInit = {}) => fetch(`${stack.url}${pathname}`, init);
const post = (pathname: string, body: unknown) =>
  api(pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const operator = (pathname: string, method = 'GET', body?: unknown) =>
  api(pathname, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const json = async <T>(response: Response | Promise<Response>) => (await (await response).json()) as T;

/** Confirms every link mailed to `address` that has not been confirmed yet. */
async function confirmMailTo(address: string, expected = 1): Promise<void> {
  const mails = await eventually(async () => {
    const found = (await inbox(stack.inboxUrl)).filter((m) => m.destination.to.some((to) => to.toLowerCase() === address.toLowerCase()));
    return found.length >= expected ? found : undefined;
  });
  for (const mail of mails) {
    const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1];
    expect((await api(`/confirm/${token}`, { method: 'POST' })).status).toBe(200);
  }
}

async function newOpenCampaign(title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await operator('/admin/campaigns', 'POST', { kind: 'petition', title, ...extra });
  expect(created.status).toBe(201);
  const { slug } = await json<{ slug: string }>(created);
  expect((await operator(`/admin/campaigns/${slug}/publish`, 'POST')).status).toBe(200);
  return slug;
}

describe('the campaign contract over HTTP', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '1' });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the demo statements with their organisations and translations', async () => {
    const call = await json<{ title: string; urgent: boolean }>(api('/campaigns/release-all-moroccan-political-prisoners'));
    expect(call.urgent).toBe(true);
    const french = await json<{ title: string; locale: string }>(api('/campaigns/release-all-moroccan-political-prisoners?locale=fr'));
    expect(french.locale).toBe('fr');
    expect(french.title).not.toBe(call.title);
    const organisations = await json<{ items: { organisation: string; country: string | null }[] }>(api('/campaigns/release-all-moroccan-political-prisoners/endorsements?limit=100'));
    expect(organisations.items.map((o) => o.organisation)).toContain('Kongra Star');
    expect(Object.keys(organisations.items[0] ?? {}).sort()).toEqual(['country', 'organisation']);
    // Counts are eventually consistent: the stream counts what the list shows, exactly.
    await eventually(async () => {
      const counts = await json<{ endorsements: number }>(api('/campaigns/release-all-moroccan-political-prisoners/counts'));
      return counts.endorsements === organisations.items.length ? true : undefined;
    });
  });

  it('pages through lists with no repeats and no gaps', async () => {
    const slugs = new Set<string>();
    for (let i = 0; i < 45; i++) slugs.add(await newOpenCampaign(`Paging test ${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { slug: string }[]; nextCursor: string | null } = await json(api(`/campaigns?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((c) => c.slug));
      cursor = page.nextCursor;
      // A campaign published mid-listing must not disturb the pages still to come.
      if (seen.length === 14) await newOpenCampaign('Published while paging');
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const slug of slugs) expect(seen).toContain(slug);
    expect((await api('/campaigns?limit=0')).status).toBe(400);
    expect((await api('/campaigns?limit=101')).status).toBe(400);
    expect((await api('/campaigns?cursor=forged')).status).toBe(400);
  });

  it('collects an endorsement: contact confirms, operator approves, then it is listed and counted', async () => {
    const slug = await newOpenCampaign('Endorse the release', { kind: 'statement' });
    expect((await post(`/campaigns/${slug}/endorsements`, { organisation: 'Rif Solidarity', country: 'MA', email: 'contact@rif.example', website: 'https://rif.example' })).status).toBe(202);
    expect((await post(`/campaigns/${slug}/endorsements`, { organisation: 'Bad site', country: 'MA', email: 'a@b.example', website: 'http://insecure.example' })).status).toBe(400);
    await confirmMailTo('contact@rif.example');

    const queue = await json<{ items: { id: string; campaign: string; organisation: string }[] }>(operator('/admin/endorsements'));
    const entry = queue.items.find((e) => e.campaign === slug);
    expect(entry?.organisation).toBe('Rif Solidarity');
    expect((await json<{ items: unknown[] }>(api(`/campaigns/${slug}/endorsements`))).items).toEqual([]);

    expect((await operator(`/admin/endorsements/${entry?.id}/approve`, 'POST')).status).toBe(200);
    await eventually(async () => ((await json<{ endorsements: number }>(api(`/campaigns/${slug}/counts`))).endorsements === 1 ? true : undefined));
    const listed = await json<{ items: unknown[] }>(api(`/campaigns/${slug}/endorsements`));
    expect(listed.items).toEqual([{ organisation: 'Rif Solidarity', country: 'MA', website: 'https://rif.example' }]);
    expect(JSON.stringify(listed)).not.toContain('contact@rif.example');
    expect((await api(`/admin/endorsements/${entry?.id}/approve`, { method: 'POST' })).status).toBe(401);
  });

  it('lists only confirmed signers who chose to be public, and exports every confirmed one safely', async () => {
    const slug = await newOpenCampaign('Deliver to the embassy', { goal: 4 });
    const signers = [
      { name: 'Public Person', email: 'public@example.org', country: 'FR', public: true },
      { name: '=HYPERLINK("evil")', email: 'private@example.org', country: 'MA', comment: '+1 solidarity' },
      { name: 'Never Confirms', email: 'never@example.org', country: 'TR', public: true },
    ];
    for (const signer of signers) expect((await post(`/campaigns/${slug}/signatures`, signer)).status).toBe(202);
    await confirmMailTo('public@example.org');
    await confirmMailTo('private@example.org');
    await eventually(async () => ((await json<{ signatures: number }>(api(`/campaigns/${slug}/counts`))).signatures === 2 ? true : undefined));

    const listed = await json<{ items: { name: string; country: string; signedAt: string }[] }>(api(`/campaigns/${slug}/signatures`));
    expect(listed.items.map((s) => s.name)).toEqual(['Public Person']);
    expect(Object.keys(listed.items[0] ?? {}).sort()).toEqual(['country', 'name', 'signedAt']);

    const exported = await operator(`/admin/campaigns/${slug}/signatures.csv`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    // fetch undoes the gzip content encoding itself.
    const csv = await exported.text();
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('name,email,country,postcode,comment,signed_at,confirmed_at,locale,source,public,subscribed');
    expect(lines).toHaveLength(3);
    expect(csv).toContain(`"'=HYPERLINK(""evil"")"`);
    expect(csv).toContain("'+1 solidarity");
    expect(csv).not.toContain('never@example.org');
    expect((await api(`/admin/campaigns/${slug}/signatures.csv`)).status).toBe(401);

    // In parts: each with the header row, the Link header leading to the next, oldest first, nothing twice.
    const first = await operator(`/admin/campaigns/${slug}/signatures.csv?rows=1`);
    expect(first.headers.get('x-row-count')).toBe('1');
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBe(`/admin/campaigns/${slug}/signatures.csv?rows=1&cursor=${encodeURIComponent(first.headers.get('x-next-cursor') ?? '')}`);
    const second = await operator(next!);
    const parts = [await first.text(), await second.text()].map((part) => part.trim().split('\n'));
    expect(parts.map((part) => part[0])).toEqual([lines[0], lines[0]]);
    expect([parts[0]![1], parts[1]![1]]).toEqual([lines[1], lines[2]]);
    // The last part may end on the last row; asking past it gives the header alone and no next link.
    const rest = second.headers.get('link') ? await operator(/^<([^>]+)>/.exec(second.headers.get('link')!)![1]!) : second;
    expect(rest.headers.get('link')).toBeNull();
    for (const bad of ['rows=0', 'rows=100001', 'rows=two', 'rows=1&cursor=not-a-cursor']) {
      const answer = await operator(`/admin/campaigns/${slug}/signatures.csv?${bad}`);
      expect(answer.status, bad).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('keeps an audit trail of offset changes', async () => {
    const slug = await newOpenCampaign('Offline forms');
    await operator(`/admin/campaigns/${slug}/offset`, 'PUT', { offset: 120, reason: 'Forms from the Tangier march' });
    await operator(`/admin/campaigns/${slug}/offset`, 'PUT', { offset: 150, reason: 'Late forms' });
    expect((await operator(`/admin/campaigns/${slug}/offset`, 'PUT', { offset: -1, reason: 'no' })).status).toBe(400);
    const history = await json<{ items: { previous: number; offset: number; reason: string; by: string }[] }>(operator(`/admin/campaigns/${slug}/offset-history`));
    expect(history.items.map((h) => [h.previous, h.offset, h.reason])).toEqual([
      [120, 150, 'Late forms'],
      [0, 120, 'Forms from the Tangier march'],
    ]);
    expect(history.items[0]?.by).toBe('admin-token');
  });

  it('refuses signatures once closesAt has passed', async () => {
    const slug = await newOpenCampaign('Closing soon', { closesAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await post(`/campaigns/${slug}/signatures`, { name: 'Early', email: 'early@example.org', country: 'MA' })).status).toBe(202);
    // Rather than wait for the closing time (and race it under load), an operator moves it to a moment ago.
    expect((await operator(`/admin/campaigns/${slug}`, 'PATCH', { closesAt: new Date(Date.now() - 1000).toISOString() })).status).toBe(200);
    const late = await post(`/campaigns/${slug}/signatures`, { name: 'Late', email: 'late@example.org', country: 'MA' });
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
  });
});
