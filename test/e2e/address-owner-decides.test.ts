import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, inbox, startLocalProcess, type InboxMail, type LocalProcess } from '#test/support/local-process.ts';
import { stackRequests } from '#test/support/stack-requests.ts';

/**
 * Someone who knows a supporter's address, tried over HTTP with the local runtime: they sign first with fields
 * of their choosing, flood the inbox, and hope the owner's own click publishes their version.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-owner-decides-'));
let stack: LocalProcess;
let slug: string;
const { api, post, operator } = stackRequests(() => stack);

const mailsTo = async (address: string) => (await inbox(stack.inboxUrl)).filter((m) => m.destination.to.some((to) => to.toLowerCase().includes(address)));
const linkIn = (mail: InboxMail) => /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1] ?? '';
const hiddenRequest = (page: string) => /name="request" value="([A-Za-z0-9_-]+)"/.exec(page)?.[1];
const browserPost = (token: string, request: string) =>
  api(`/confirm/${token}`, { method: 'POST', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request }).toString() });

describe('the address owner decides what their click confirms', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0', RATE_LIMIT_IP_BURST: '1000/10' });
    ({ slug } = (await (await operator('/admin/campaigns', 'POST', { kind: 'petition', title: 'Free the journalists', countries: ['MA'] })).json()) as { slug: string });
    await operator(`/admin/campaigns/${slug}/publish`, 'POST');
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("shows the newest request on the confirm page, confirms exactly that, and never publishes the first requester's fields", async () => {
    const owner = 'amina.owner@example.org';
    expect((await post(`/campaigns/${slug}/signatures`, { name: 'Prankster Pick', email: owner, country: 'FR', public: true, comment: 'Hello, verify at https://evil.example.org/x' })).status).toBe(202);
    const attackersLink = linkIn(await eventually(async () => (await mailsTo(owner))[0]));
    expect((await post(`/campaigns/${slug}/signatures`, { name: 'Amina Benali', email: owner, country: 'MA', public: false })).status).toBe(202);
    await eventually(async () => ((await mailsTo(owner)).length === 2 ? true : undefined));

    // The owner opens the first mail's link: the page shows their own, newest request.
    const page = await (await api(`/confirm/${attackersLink}`)).text();
    expect(page).toContain('Amina Benali');
    expect(page).toContain('Morocco (MA)');
    expect(page).toContain('Free the journalists');
    expect(page).not.toContain('Prankster Pick');
    expect(page).not.toContain('evil.example');
    const shown = hiddenRequest(page);
    expect(shown).toBeDefined();

    // Meanwhile the prankster signs again: the page the owner has open no longer matches, so nothing is confirmed.
    await post(`/campaigns/${slug}/signatures`, { name: 'Prankster Again', email: owner, country: 'FR', public: true });
    const stale = await browserPost(attackersLink, shown!);
    expect(stale.status).toBe(409);
    expect(await stale.text()).toMatch(/newer request/);

    // The owner signs again and confirms what the page shows.
    await post(`/campaigns/${slug}/signatures`, { name: 'Amina Benali', email: owner, country: 'MA', public: false });
    const again = await (await api(`/confirm/${attackersLink}`)).text();
    expect(again).toContain('Amina Benali');
    expect((await browserPost(attackersLink, hiddenRequest(again)!)).status).toBe(200);

    await eventually(async () => ((await (await api(`/campaigns/${slug}/counts`)).json()) as { signatures: number }).signatures === 1 || undefined);
    const listed = JSON.stringify(await (await api(`/campaigns/${slug}/signatures`)).json());
    expect(listed).not.toContain('Prankster');
    const csv = await (await operator(`/admin/campaigns/${slug}/signatures.csv`)).text();
    expect(csv).toContain('Amina Benali');
    expect(csv).not.toContain('Prankster');
    expect(csv).not.toContain('evil.example');
  });
});
