import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, operatorFetch, runCli, type CliRun } from '#test/support/cli-runner.ts';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'tadamon-cli-outreach-'));
let stack: LocalProcess;
let slug: string;

/** The CLI in a child process, as a person runs it, against the local runtime; `input` is what they type. */
function tadamon(args: string[], input?: string): Promise<CliRun> {
  return runCli(args, { cwd: root, work, connection: { url: stack.url, token: stack.adminToken }, input: input ?? '' });
}

async function tadamonJson<T>(args: string[], input?: string): Promise<T> {
  return jsonOf<T>(await tadamon([...args, '--json'], input));
}

const asOperator = <T>(pathname: string, method = 'GET', body?: unknown) => operatorFetch<T>(stack, pathname, method, body);

const mailsTo = async (address: string, subject: RegExp) => (await inbox(stack.inboxUrl)).filter((m) => m.destination.to.includes(address) && subject.test(m.subject));

async function subscribeAndConfirm(email: string, locale: string): Promise<void> {
  const response = await fetch(`${stack.url}/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, locale }) });
  expect(response.status).toBe(202);
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.includes(email)));
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1];
  expect((await fetch(`${stack.url}/confirm/${token}`, { method: 'POST' })).status).toBe(200);
}

const file = (name: string, text: string) => {
  const at = path.join(work, name);
  writeFileSync(at, text);
  return at;
};

describe('tadamon outreach: urgent calls in every language, checked before they are sent', () => {
  let english: string;
  let french: string;

  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: path.join(work, 'data'), DEMO_DATA: '0', SES_RATE_PER_SECOND: '50', RATE_LIMIT_IP_BURST: '1000/10' });
    ({ slug } = await asOperator<{ slug: string }>('/admin/campaigns', 'POST', { kind: 'appeal', title: 'Medical care for Nasser Zefzafi' }));
    await asOperator(`/admin/campaigns/${slug}/publish`, 'POST');
    await subscribeAndConfirm('amina@example.org', 'fr');
    await subscribeAndConfirm('john@example.org', 'en');
    english = file('call.md', '---\nsubject: Act now for Nasser Zefzafi\n---\nHe needs medical care now.\n\nWrite to the minister today.\n');
    french = file('call.fr.md', 'Subject: Agissez pour Nasser Zefzafi\n\nIl a besoin de soins maintenant.\n');
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('previews each version with the mail templates, shows the audience, and sends nothing without a yes', async () => {
    const run = await tadamon(['outreach', 'send', slug, english, french, '--preview-html', path.join(work, 'preview')], 'n\n');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('──── en: Act now for Nasser Zefzafi ────');
    expect(run.stdout).toContain('Write to the minister today.');
    expect(run.stdout).toContain('──── fr: Agissez pour Nasser Zefzafi ────');
    expect(run.stdout).toContain('Appel urgent');
    expect(run.stdout).toContain('Audience: 2 subscribers (en 1 · fr 1).');
    expect(run.stderr).toContain('Send this urgent call to 2 subscribers now? [y/N]');
    expect(run.stderr).toContain('Nothing was changed: not confirmed.');
    const html = readFileSync(path.join(work, 'preview', `${slug}.fr.html`), 'utf8');
    expect(html).toContain('lang="fr"');
    expect(html).toContain('Il a besoin de soins maintenant.');
    expect(await asOperator<{ items: unknown[] }>('/admin/outreach')).toMatchObject({ items: [] });
  });

  it('counts in a dry run and refuses a call without the campaign language', async () => {
    expect(await tadamonJson(['outreach', 'send', slug, english, french, '--dry-run'])).toEqual({ dryRun: true, audience: 2, byLocale: { en: 1, fr: 1 }, locales: ['en', 'fr'] });
    const missing = await tadamon(['outreach', 'send', slug, french]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("There is no version in the campaign's language (en).");
    const twice = await tadamon(['outreach', 'send', slug, english, file('again.en.md', 'Subject: Again\n\nTwice.\n')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('are both the "en" version');
  });

  it('sends a test of each version to --test-to only', async () => {
    const test = await tadamonJson<{ outreachId: string; status: string; test: boolean }>(['outreach', 'send', slug, english, french, '--test-to', 'desk@example.org', '--watch', '--interval', '0.2']);
    expect(test).toMatchObject({ status: 'done', test: true, recipients: 2, sent: 2 });
    await eventually(async () => ((await mailsTo('desk@example.org', /^\[ESSAI\] Agissez/)).length ? true : undefined));
    expect(await mailsTo('desk@example.org', /^\[TEST\] Act now/)).toHaveLength(1);
    expect(await mailsTo('amina@example.org', /Agissez/)).toEqual([]);
  });

  it('sends when the operator says yes, each subscriber in their language', async () => {
    const run = await tadamon(['outreach', 'send', slug, english, french, '--watch', '--interval', '0.2'], 'y\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/is done: 2 recipients, 2 sent/);
    await eventually(async () => ((await mailsTo('amina@example.org', /^Agissez pour Nasser Zefzafi$/)).length ? true : undefined));
    expect(await mailsTo('john@example.org', /^Act now for Nasser Zefzafi$/)).toHaveLength(1);
  });

  it('schedules with --at, lists newest first, and cancels', async () => {
    const at = new Date(Date.now() + 86_400_000).toISOString();
    const scheduled = await tadamonJson<{ outreachId: string; status: string; sendAt: string }>(['outreach', 'send', slug, english, '--at', at, '--yes']);
    expect(scheduled).toMatchObject({ status: 'scheduled', sendAt: at });
    const list = await tadamon(['outreach', 'list', '--limit', '2']);
    expect(list.code).toBe(0);
    const [header, first, second] = list.stdout.split('\n');
    expect(header).toMatch(/^ID\s+KIND\s+STATUS\s+WHEN\s+SENT\s+WHAT$/);
    expect(first).toContain(scheduled.outreachId);
    expect(first).toContain(`scheduled  at ${at}`);
    expect(second).toMatch(/urgent-call\s+done/);
    expect(list.stdout).toMatch(/More: tadamon outreach list --cursor \S+/);
    const cancelled = await tadamon(['outreach', 'cancel', scheduled.outreachId]);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain(`Outreach ${scheduled.outreachId} (urgent-call) is cancelled`);
    const late = await tadamon(['outreach', 'send', slug, english, '--at', '2020-01-01T00:00:00Z', '--yes']);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('The send time has passed');
  });
});
