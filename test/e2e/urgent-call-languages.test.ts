import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';
import { stackRequests } from '#test/support/stack-requests.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-urgent-languages-'));
let stack: LocalProcess;
let slug: string;

const { api, post, operator, mailsTo } = stackRequests(() => stack);
const call = (body: unknown) => operator(`/admin/campaigns/${slug}/urgent-calls`, 'POST', body);

const firstMail = (address: string, subject: RegExp) => eventually(async () => (await mailsTo(address, subject))[0]);

async function confirmFirstLink(address: string): Promise<void> {
  const mail = await eventually(async () => (await mailsTo(address))[0]);
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1];
  expect((await api(`/confirm/${token}`, { method: 'POST' })).status).toBe(200);
}

interface Status {
  id: string;
  status: string;
  recipients: number;
  sent: number;
  skipped: number;
  test?: boolean;
}

const statusOf = async (id: string) => (await (await operator(`/admin/outreach/${id}`)).json()) as Status;
const done = (id: string) => eventually(async () => ((await statusOf(id)).status === 'done' ? statusOf(id) : undefined), 20_000);
const accepted = async (response: Response) => {
  expect(response.status).toBe(202);
  return ((await response.json()) as { outreachId: string }).outreachId;
};

const en = { subject: 'Write to the embassy today', message: 'Every letter counts.' };
const fr = { subject: 'Écrivez à l’ambassade aujourd’hui', message: 'Chaque lettre compte.' };

describe('an urgent call in every language, checked before it is sent, over HTTP', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0', SES_RATE_PER_SECOND: '50', RATE_LIMIT_IP_BURST: '1000/10' });
    ({ slug } = (await (await operator('/admin/campaigns', 'POST', { kind: 'appeal', title: 'Free the journalists of the Rif', countries: ['MA'] })).json()) as { slug: string });
    expect((await operator(`/admin/campaigns/${slug}/publish`, 'POST')).status).toBe(200);
    expect((await post('/subscriptions', { email: 'amina@example.org', locale: 'fr' })).status).toBe(202);
    expect((await post('/subscriptions', { email: 'john@example.org', locale: 'en' })).status).toBe(202);
    await confirmFirstLink('amina@example.org');
    await confirmFirstLink('john@example.org');
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts the audience by language, refuses what is not valid, and sends nothing for either', async () => {
    const dry = await call({ messages: { en, fr }, dryRun: true });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toEqual({ audience: 2, byLocale: { en: 1, fr: 1 } });

    const missing = await call({ messages: { fr } });
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(((await missing.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['messages.en']);
    const six = Array.from({ length: 6 }, (_, i) => `desk${i}@example.org`);
    expect((await call({ messages: { en }, testTo: six })).status).toBe(400);
    expect((await call({ messages: { en }, sendAt: '2020-01-01T00:00:00Z' })).status).toBe(400);
    expect((await call({ messages: { en, de: fr } })).status).toBe(400);
    expect(((await (await operator('/admin/outreach')).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('sends a marked test of each version to the test address only', async () => {
    const id = await accepted(await call({ messages: { en, fr }, testTo: ['desk@example.org'] }));
    expect(await done(id)).toMatchObject({ test: true, recipients: 2, sent: 2 });
    expect((await firstMail('desk@example.org', /^\[TEST\] Write to the embassy/)).body.text).toContain('Every letter counts.');
    expect((await firstMail('desk@example.org', /^\[ESSAI\] Écrivez/)).body.text).toContain('Chaque lettre compte.');
    expect(await mailsTo('amina@example.org', /Écrivez/)).toEqual([]);
    expect(await mailsTo('john@example.org', /embassy/)).toEqual([]);
  });

  it('gives the French subscriber the French text and the English one the English text', async () => {
    const id = await accepted(await call({ messages: { en, fr } }));
    expect(await done(id)).toMatchObject({ recipients: 2, sent: 2 });
    const french = await firstMail('amina@example.org', /^Écrivez à l’ambassade/);
    expect(french.body.text).toContain('Chaque lettre compte.');
    expect(french.body.text).toContain('Appel urgent');
    expect((await firstMail('john@example.org', /^Write to the embassy/)).body.text).toContain('Every letter counts.');
    // Each once: the test send before it took nobody's place.
    expect(await mailsTo('amina@example.org', /Écrivez/)).toHaveLength(1);
  });

  it('still takes the single subject and message, in the campaign language', async () => {
    const id = await accepted(await call({ subject: 'Old form still works', message: 'One text for all.' }));
    expect(await done(id)).toMatchObject({ recipients: 2, sent: 2 });
    expect((await firstMail('amina@example.org', /^Old form still works$/)).body.text).toContain('One text for all.');
  });

  it("starts a scheduled call on the runtime's one-minute schedule, and sends it", async () => {
    const id = await accepted(await call({ messages: { en: { subject: 'Scheduled for later', message: 'Sent by the schedule.' } }, sendAt: new Date(Date.now() + 1000).toISOString() }));
    expect((await statusOf(id)).status).toBe('scheduled');
    // The schedule runs at the top of each minute.
    expect(await eventually(async () => ((await statusOf(id)).status === 'done' ? statusOf(id) : undefined), 75_000)).toMatchObject({ recipients: 2, sent: 2 });
    expect((await firstMail('john@example.org', /^Scheduled for later$/)).body.text).toContain('Sent by the schedule.');
  }, 90_000);

  it('schedules a call, lists it first, and cancels it', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const id = await accepted(await call({ messages: { en }, sendAt }));
    const list = (await (await operator('/admin/outreach?limit=2')).json()) as { items: Status[]; nextCursor: string | null };
    expect(list.items[0]).toMatchObject({ id, status: 'scheduled', sendAt });
    expect(list.nextCursor).not.toBeNull();
    const rest = (await (await operator(`/admin/outreach?limit=100&cursor=${encodeURIComponent(list.nextCursor ?? '')}`)).json()) as { items: Status[] };
    expect(list.items.length + rest.items.length).toBe(5);
    const cancelled = await operator(`/admin/outreach/${id}/cancel`, 'POST');
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ id, status: 'cancelled', sent: 0 });
    expect((await operator('/admin/outreach/no-such-call/cancel', 'POST')).status).toBe(404);
  });
});
