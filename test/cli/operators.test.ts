import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, runCli, type CliRun } from '#test/support/cli-runner.ts';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const work = mkdtempSync(path.join(tmpdir(), 'tadamon-operators-'));
let stack: LocalProcess;

/** The CLI in a child process against the local runtime; `input` is what the person types (one answer a line). */
function tadamon(args: string[], input?: string): Promise<CliRun> {
  return runCli(args, { cwd: work, work, connection: { url: stack.url, token: stack.adminToken }, input: input ?? '' });
}

async function tadamonJson<T>(args: string[]): Promise<T> {
  return jsonOf<T>(await tadamon([...args, '--json']));
}

async function api<T>(pathname: string, init: { method?: string; body?: unknown; operator?: boolean } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.url}${pathname}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.operator === false ? {} : { authorization: `Bearer ${stack.adminToken}` }), ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

function writeDocument(name: string, text: string): string {
  const file = path.join(work, name);
  writeFileSync(file, text);
  return file;
}

/** Clicks the confirmation link mailed to `email` (the newest one). */
async function confirmFromInbox(email: string): Promise<void> {
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).filter((m) => m.destination.to.includes(email)).at(-1));
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1];
  expect((await fetch(`${stack.url}/confirm/${token}`, { method: 'POST' })).status).toBe(200);
}

interface Campaign {
  slug: string;
  status: string;
  title: string;
  summary: string;
  countries: string[];
  translations: Record<string, { title: string; summary?: string; body?: string }>;
}

describe('operators run a campaign week from the CLI', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: path.join(work, 'data'), DEMO_DATA: '0' });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('updates a campaign from its edited document: shows the changes, asks, and applies only when told', async () => {
    const file = writeDocument('week.md', '---\nslug: week-campaign\nkind: petition\ntitle: Free the journalists\ncountries: [MA]\n---\nFirst body.\n');
    expect((await tadamon(['campaign', 'create', file])).code).toBe(0);

    const taken = await tadamon(['campaign', 'create', file]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(`tadamon campaign update week-campaign ${file}`);

    writeDocument('week.md', '---\nslug: week-campaign\nkind: petition\ntitle: Free the journalists now\nsummary: Three journalists are in prison.\ncountries: [MA, TR]\n---\nFirst body.\n');
    const declined = await tadamon(['campaign', 'update', 'week-campaign', file], 'n\n');
    expect(declined.code).toBe(1);
    expect(declined.stdout).toContain('title: "Free the journalists" → "Free the journalists now"');
    expect(declined.stdout).toContain('countries: MA → MA, TR');
    expect(declined.stdout).not.toContain('body');
    expect(declined.stderr).toContain('Nothing was changed');
    expect((await api<Campaign>('/admin/campaigns/week-campaign')).body.title).toBe('Free the journalists');

    const noAnswer = await tadamon(['campaign', 'update', 'week-campaign', file]);
    expect(noAnswer.code).toBe(2);
    expect(noAnswer.stderr).toContain('--yes');

    const dryRun = await tadamonJson<{ changes: string[]; applied: boolean }>(['campaign', 'update', 'week-campaign', file, '--dry-run']);
    expect(dryRun).toMatchObject({ changes: ['title', 'summary', 'countries'], applied: false });

    const accepted = await tadamon(['campaign', 'update', 'week-campaign', file], 'y\n');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('Updated week-campaign: fields changed: title, summary, countries.');
    const stored = (await api<Campaign>('/admin/campaigns/week-campaign')).body;
    expect(stored).toMatchObject({ title: 'Free the journalists now', summary: 'Three journalists are in prison.', countries: ['MA', 'TR'] });

    const again = await tadamon(['campaign', 'update', 'week-campaign', file, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already matches');

    const wrongSlug = await tadamon(['campaign', 'update', 'another-campaign', file, '--yes']);
    expect(wrongSlug.code).toBe(2);
    expect(wrongSlug.stderr).toContain('is the document of "week-campaign"');
  });

  it('adds, updates and removes translations, refusing to add twice or update what is not there', async () => {
    await api('/admin/campaigns', { method: 'POST', body: { slug: 'in-languages', kind: 'statement', title: 'Solidarity', summary: 'English summary.' } });
    const french = writeDocument('fr.md', '---\ntitle: Solidarité\n---\n');
    const added = await tadamon(['translation', 'add', 'in-languages', 'fr', french]);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Added the fr translation of in-languages');
    // A translation with a title only: readers in French get the campaign's own summary.
    const read = await fetch(`${stack.url}/admin/campaigns/in-languages`, { headers: { authorization: `Bearer ${stack.adminToken}` } });
    expect(((await read.json()) as Campaign).translations.fr).toEqual({ title: 'Solidarité' });

    const twice = await tadamon(['translation', 'add', 'in-languages', 'fr', french]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('tadamon translation update in-languages fr');

    const missing = await tadamon(['translation', 'update', 'in-languages', 'es', french]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('has no "es" translation');

    const own = await tadamon(['translation', 'add', 'in-languages', 'en', french]);
    expect(own.code).toBe(2);

    writeDocument('fr.md', '---\ntitle: Solidarité\nsummary: Résumé en français.\n---\nLe texte.\n');
    expect((await tadamon(['translation', 'update', 'in-languages', 'fr', french])).code).toBe(0);
    expect((await api<Campaign>('/admin/campaigns/in-languages')).body.translations.fr).toEqual({ title: 'Solidarité', summary: 'Résumé en français.', body: 'Le texte.' });

    const removed = await tadamonJson<{ translations: string[] }>(['translation', 'remove', 'in-languages', 'fr', '--yes']);
    expect(removed.translations).toEqual([]);
    expect((await api<Campaign>('/admin/campaigns/in-languages')).body.translations).toEqual({});
  });

  it('refuses to publish a closed campaign and reopens it explicitly', async () => {
    await api('/admin/campaigns', { method: 'POST', body: { slug: 'closed-then-open', kind: 'petition', title: 'Closed, then open' } });
    await api('/admin/campaigns/closed-then-open/publish', { method: 'POST' });
    expect((await tadamon(['campaign', 'close', 'closed-then-open'])).code).toBe(0);

    const publish = await tadamon(['campaign', 'publish', 'closed-then-open']);
    expect(publish.code).toBe(1);
    expect(publish.stderr).toContain('(409)');
    expect(publish.stderr).toContain('tadamon campaign reopen closed-then-open');
    expect((await api<Campaign>('/admin/campaigns/closed-then-open')).body.status).toBe('closed');

    const reopened = await tadamon(['campaign', 'reopen', 'closed-then-open']);
    expect(reopened.code).toBe(0);
    expect(reopened.stdout).toContain('closed-then-open is open.');
    expect((await api<Campaign>('/campaigns/closed-then-open', { operator: false })).body.status).toBe('open');
  });

  it('counts and exports subscribers, and erases a person at once on request by letter', async () => {
    for (const [email, body] of [
      ['leila@example.org', { locale: 'ar', countries: ['MA'] }],
      ['jules@example.org', { locale: 'fr', countries: ['TR'], urgent: false }],
    ] as const) {
      expect((await api('/subscriptions', { method: 'POST', operator: false, body: { email, ...body } })).status).toBe(202);
      await confirmFromInbox(email);
    }
    const summary = await tadamonJson<{ total: number; byLocale: Record<string, number>; urgent: { on: number; off: number } }>(['subscribers', 'summary']);
    expect(summary).toMatchObject({ total: 2, byLocale: { ar: 1, fr: 1 }, urgent: { on: 1, off: 1 } });
    expect((await tadamonJson<{ total: number }>(['subscribers', 'summary', '--country', 'ma'])).total).toBe(1);
    const human = await tadamon(['subscribers', 'summary']);
    expect(human.stdout).toContain('2 confirmed subscribers');
    expect(human.stdout).toMatch(/^LOCALE\s+SUBSCRIBERS$/m);
    // One who never confirmed: only the count of every status (a scan, on the local runtime's IAM guard) sees them.
    expect((await api('/subscriptions', { method: 'POST', operator: false, body: { email: 'waiting@example.org', locale: 'es' } })).status).toBe(202);
    expect((await tadamonJson<{ total: number }>(['subscribers', 'summary', '--locale', 'es'])).total).toBe(0);
    const everyStatus = await tadamonJson<{ total: number; byStatus: Record<string, number> }>(['subscribers', 'summary', '--locale', 'es', '--all-statuses']);
    expect(everyStatus).toMatchObject({ total: 1, byStatus: { unconfirmed: 1 } });
    const humanEveryStatus = await tadamon(['subscribers', 'summary', '--all-statuses']);
    expect(humanEveryStatus.stdout).toMatch(/^STATUS\s+SUBSCRIBERS$/m);
    expect(humanEveryStatus.stdout).toMatch(/^unconfirmed\s+\d+$/m);

    const exported = await tadamon(['subscribers', 'export', '--locale', 'fr', '-o', 'french.csv']);
    expect(exported.code).toBe(0);
    const csv = readFileSync(path.join(work, 'french.csv'), 'utf8');
    expect(csv).toBe('email,name,locale,urgent,digest,countries,topics\njules@example.org,,fr,no,weekly,TR,\n');
    expect(statSync(path.join(work, 'french.csv')).mode & 0o777).toBe(0o600);

    const refused = await tadamon(['privacy', 'erase', 'jules@example.org', '--reason', 'letter of 2036-01-05'], 'no\n');
    expect(refused.code).toBe(1);
    expect((await tadamonJson<{ total: number }>(['subscribers', 'summary'])).total).toBe(2);

    const erased = await tadamonJson<{ status: string; items: number }>(['privacy', 'erase', 'jules@example.org', '--reason', 'letter of 2036-01-05', '--yes']);
    // The subscriber and the link that confirmed it.
    expect(erased).toEqual({ status: 'erased', items: 2 });
    expect((await tadamonJson<{ total: number; byLocale: Record<string, number> }>(['subscribers', 'summary'])).byLocale).toEqual({ ar: 1 });
    const everyone = await tadamon(['subscribers', 'export', '-o', '-']);
    expect(everyone.stdout).not.toContain('jules@example.org');
    expect(everyone.stdout).toContain('leila@example.org');

    const addressInReason = await tadamon(['privacy', 'erase', 'leila@example.org', '--reason', 'asked by leila@example.org', '--yes']);
    expect(addressInReason.code).toBe(1);
    expect(addressInReason.stderr).toContain('reason');

    const trail = await tadamon(['privacy', 'erasures']);
    expect(trail.code).toBe(0);
    expect(trail.stdout).toMatch(/\d{4}-\d{2}-\d{2}\s+2\s+operator admin-token\s+letter of 2036-01-05/);
    expect(trail.stdout).not.toContain('jules');
  });

  it('manages the blocklist, ranges included', async () => {
    const domain = await tadamonJson<{ kind: string; value: string }>(['blocklist', 'add', 'email-domain', 'Spam.Example', '--reason', 'a flood of fake signatures']);
    expect(domain).toMatchObject({ kind: 'email-domain', value: 'spam.example' });
    const range = await tadamonJson<{ value: string }>(['blocklist', 'add', 'ip', '203.0.113.7/24', '--reason', 'a botnet']);
    expect(range.value).toBe('203.0.113.0/24');
    const listed = await tadamon(['blocklist', 'list']);
    expect(listed.stdout).toMatch(/email-domain\s+spam\.example/);
    expect(listed.stdout).toMatch(/ip\s+203\.0\.113\.0\/24/);
    expect(listed.stdout).toContain('2 entries');
    expect((await api('/subscriptions', { method: 'POST', operator: false, body: { email: 'x@mail.spam.example' } })).status).toBe(403);

    expect((await tadamon(['blocklist', 'remove', 'ip', '203.0.113.0/24'])).code).toBe(0);
    expect((await tadamon(['blocklist', 'remove', 'email-domain', 'spam.example'])).code).toBe(0);
    expect((await tadamonJson<{ items: unknown[] }>(['blocklist', 'list'])).items).toEqual([]);
    const bad = await tadamon(['blocklist', 'add', 'ip', '0.0.0.0/0', '--reason', 'everyone']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('(400)');
  });

  it('reconciles a campaign, with a dry run', async () => {
    await api('/admin/campaigns', { method: 'POST', body: { slug: 'to-recount', kind: 'petition', title: 'To recount' } });
    const dry = await tadamonJson<{ drift: number; corrected: boolean }>(['reconcile', 'to-recount', '--dry-run']);
    expect(dry).toMatchObject({ drift: 0, corrected: false });
    const human = await tadamon(['reconcile', 'to-recount']);
    expect(human.stdout).toContain('No drift.');
    expect((await tadamon(['reconcile', 'nowhere'])).code).toBe(1);
  });

  it('lists the dead-letter queues and replays the mail one', async () => {
    const listed = await tadamonJson<{ items: { queue: string; messages: number; replay: string }[] }>(['dlq', 'list']);
    expect(listed.items).toEqual([expect.objectContaining({ queue: 'mail', messages: 0, replay: 'move' })]);
    const replay = await tadamon(['dlq', 'replay']);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('is empty: nothing to replay');
    const other = await tadamon(['dlq', 'replay', 'stream']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('(404)');
    // Locally event and stream failures stay in the data folder's journals: there is no such queue to replay.
    const events = await tadamon(['dlq', 'replay', 'events']);
    expect(events.code).toBe(1);
    expect(events.stderr).toContain('(404)');
    expect(existsSync(path.join(work, 'data'))).toBe(true);
  });
});
