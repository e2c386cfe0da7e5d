import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#infra/local/ports.ts';
import { jsonOf, operatorFetch, runCli, type CliRun } from '#test/support/cli-runner.ts';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const demo = (name: string) => path.join(root, 'infra', 'local', 'demo-campaigns', name);
const work = mkdtempSync(path.join(tmpdir(), 'tadamon-cli-'));
const dataDir = path.join(work, 'data');
let stack: LocalProcess;

/**
 * Runs the CLI as a person would, in a child process: `node cli/bin.js …`, against the local runtime
 * (`--url`/`--token` unless `connect: false`), with no config file or TADAMON_* variables of the machine's.
 */
function tadamon(args: string[], options: { connect?: boolean; env?: Record<string, string>; command?: [string, string[]] } = {}): Promise<CliRun> {
  const connection = options.connect === false ? undefined : { url: stack.url, token: stack.adminToken };
  return runCli(args, { cwd: root, work, connection, env: options.env, command: options.command });
}

/** Runs it with --json, expects success, and parses standard output (which must be JSON and nothing else). */
async function tadamonJson<T>(args: string[]): Promise<T> {
  return jsonOf<T>(await tadamon([...args, '--json']));
}

/** Calls the API as the operator, as fixtures do: the CLI itself is what the tests exercise. */
const asOperator = <T>(pathname: string, method = 'GET', body?: unknown) => operatorFetch<T>(stack, pathname, method, body);

/** A campaign of the calling test's own (open unless asked otherwise), so no test depends on another's. */
async function campaignOfMyOwn(title: string, options: { kind?: string; open?: boolean } = {}): Promise<string> {
  const { slug } = await asOperator<{ slug: string }>('/admin/campaigns', 'POST', { kind: options.kind ?? 'petition', title });
  if (options.open !== false) await asOperator(`/admin/campaigns/${slug}/publish`, 'POST');
  return slug;
}

/** Signs as a supporter would and confirms from the inbox. */
async function signAndConfirm(slug: string, name: string, email: string, comment?: string): Promise<void> {
  const signed = await fetch(`${stack.url}/campaigns/${slug}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email, country: 'MA', ...(comment ? { comment } : {}) }),
  });
  expect(signed.status).toBe(202);
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.includes(email)));
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1];
  expect((await fetch(`${stack.url}/confirm/${token}`, { method: 'POST' })).status).toBe(200);
}

/** Waits for the stream to count a campaign's confirmed signatures (and index them for the export). */
async function counted(slug: string, signatures: number): Promise<void> {
  await eventually(async () => {
    const counts = (await (await fetch(`${stack.url}/campaigns/${slug}/counts`)).json()) as { signatures: number };
    return counts.signatures === signatures ? true : undefined;
  });
}

interface Campaign {
  slug: string;
  status: string;
  title: string;
  translations: Record<string, { title: string; letter?: string }>;
  counts: { signatures: number; offset: number; total: number; goal: number | null };
}

describe('tadamon, the operator CLI, against the local runtime', () => {
  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0' });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('creates a campaign from a demo document with its translation and offset, and publishes it', async () => {
    const created = await tadamon(['campaign', 'create', demo('free-nasser-zefzafi.md')]);
    expect(created.stderr).toContain('status: open'); // the document's status is only a note without --publish
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Created draft free-nasser-zefzafi');
    expect(created.stdout).toContain('translation fr added');
    expect(created.stdout).toContain('offset set to 785');

    const published = await tadamon(['campaign', 'publish', 'free-nasser-zefzafi']);
    expect(published.code).toBe(0);
    expect(published.stdout).toContain('free-nasser-zefzafi is open');

    const shown = await tadamonJson<Campaign>(['campaign', 'show', 'free-nasser-zefzafi']);
    expect(shown.status).toBe('open');
    expect(shown.translations.fr?.title).toBe('Exhortez le Maroc à libérer Nasser Zefzafi !');
    expect(shown.translations.fr?.letter).toContain('Excellence');
    expect(shown.counts).toMatchObject({ offset: 785, signatures: 0, total: 785, goal: 1000 });

    const human = await tadamon(['campaign', 'show', 'free-nasser-zefzafi']);
    expect(human.stdout).toContain('Urge Morocco to free Nasser Zefzafi!');
    expect(human.stdout).toMatch(/count\s+785 = 0 signatures \+ 785 offset; goal 1000/);
  });

  it('creates and publishes in one go, skipping the endorsements with a note, in --json mode', async () => {
    const result = await tadamonJson<{ slug: string; status: string; translations: string[]; skippedEndorsements: number; notes: string[] }>([
      'campaign',
      'create',
      demo('release-all-moroccan-political-prisoners.md'),
      '--publish',
    ]);
    expect(result).toMatchObject({ slug: 'release-all-moroccan-political-prisoners', status: 'open', translations: ['ar', 'fr'] });
    expect(result.skippedEndorsements).toBeGreaterThan(10);
    expect(result.notes.join(' ')).toContain('endorsement');
    const shown = await tadamonJson<Campaign>(['campaign', 'show', result.slug]);
    expect(Object.keys(shown.translations).sort()).toEqual(['ar', 'fr']);
  });

  it('sets the offset and shows its audit trail', async () => {
    const slug = await campaignOfMyOwn('Paper forms count too');
    const counts = await tadamonJson<{ offset: number; total: number }>(['offset', 'set', slug, '785', '--reason', 'the online form']);
    expect(counts).toMatchObject({ offset: 785, total: 785 });
    expect(await tadamonJson(['offset', 'set', slug, '800', '--reason', 'paper forms from the vigil'])).toMatchObject({ offset: 800, total: 800 });
    // The spelling, `offset SET`, works too.
    expect((await tadamon(['offset', 'SET', slug, '810', '--reason', 'late forms'])).stdout).toContain('is 810');

    const history = await tadamonJson<{ items: { previous: number; offset: number; reason: string; by: string }[] }>(['offset', 'history', slug]);
    expect(history.items.map((c) => [c.previous, c.offset])).toEqual([
      [800, 810],
      [785, 800],
      [0, 785],
    ]);
    expect(history.items[1]).toMatchObject({ reason: 'paper forms from the vigil', by: 'admin-token' });
    expect((await tadamon(['offset', 'history', slug])).stdout).toMatch(/default\s+785 → 800\s+paper forms from the vigil/);

    // A partner's own count, with its countries: it replaces the partner's last one and adds to the offset.
    expect(await tadamonJson(['offset', 'set', slug, '100', '--partner', 'amnesty-fr', '--country', 'FR=80', '--country', 'ma=10', '--reason', 'Paris'])).toMatchObject({
      offset: 910,
      byCountry: { FR: 80, MA: 10 },
    });
    expect(await tadamonJson(['offset', 'set', slug, '120', '--partner', 'amnesty-fr', '--reason', 'Paris and Lyon'])).toMatchObject({ offset: 930, byCountry: {} });
    expect((await tadamon(['offset', 'history', slug])).stdout).toMatch(/amnesty-fr\s+100 → 120\s+Paris and Lyon/);
    expect((await tadamon(['offset', 'set', slug, '1', '--country', 'FR=1', '--reason', 'x'])).code).not.toBe(0);
  });

  it('lists every campaign, following cursors, and filters by status', async () => {
    const created = await Promise.all(
      ['kazakhstan-oil-workers-strike.md', 'kurdish-prisoners-on-hunger-strike.md', 'el-salvador-urgent-solidarity-appeal.md'].map((name) => tadamon(['campaign', 'create', demo(name)])),
    );
    expect(created.map((run) => run.code)).toEqual([0, 0, 0]);
    const open = await campaignOfMyOwn('Listed as open');
    // Whatever other tests made, one page of 100 holds them all: the reference for the paged walk.
    const onePage = await tadamonJson<{ items: { slug: string; status: string }[] }>(['campaign', 'list']);
    expect(onePage.items.length).toBeGreaterThanOrEqual(4);
    expect(onePage.items.length).toBeLessThan(100);
    // Pages of 2 (the CLI asks for 100 unless told): the same campaigns, in the same order, with no repeats and no gaps.
    const all = await tadamonJson<{ items: { slug: string; status: string }[] }>(['campaign', 'list', '--page-size', '2']);
    const identities = (items: { slug: string; status: string }[]) => items.map(({ slug, status }) => ({ slug, status }));
    expect(identities(all.items)).toEqual(identities(onePage.items));
    expect(new Set(all.items.map((c) => c.slug)).size).toBe(all.items.length);
    const drafts = await tadamonJson<{ items: { slug: string }[] }>(['campaign', 'list', '--status', 'draft']);
    expect(drafts.items.map((c) => c.slug)).toEqual(expect.arrayContaining(['el-salvador-urgent-solidarity-appeal', 'kazakhstan-oil-workers-strike', 'kurdish-prisoners-on-hunger-strike']));
    expect(drafts.items.map((c) => c.slug).sort()).toEqual(all.items.filter((c) => c.status === 'draft').map((c) => c.slug).sort());
    const human = await tadamon(['campaign', 'list', '--status', 'open']);
    const openCount = all.items.filter((c) => c.status === 'open').length;
    expect(human.stdout).toMatch(/^SLUG\s+STATUS\s+KIND\s+CREATED\s+TITLE$/m);
    expect(human.stdout).toContain(open);
    expect(human.stdout).toContain(`${openCount} campaign${openCount === 1 ? '' : 's'}`);
  });

  it('explains an invalid or missing document and exits 2 without calling the API', async () => {
    const bad = path.join(work, 'bad.md');
    writeFileSync(bad, '---\nkind: petition\ntitle: ""\ncountries: [XX]\n---\nBody.\n');
    const invalid = await tadamon(['campaign', 'create', bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toContain(`${bad} is not a valid campaign document.`);
    expect(invalid.stderr).toContain('title: Required.');
    expect(invalid.stderr).toContain('countries.0: Not a known ISO 3166-1 alpha-2 country code.');

    const missing = await tadamon(['campaign', 'create', path.join(work, 'nowhere.md')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');

    const translation = await tadamon(['campaign', 'create', demo('free-nasser-zefzafi.fr.md')]);
    expect(translation.code).toBe(2);
    expect(translation.stderr).toContain('looks like a translation');
  });

  it("renders the API's problem details and exits 1", async () => {
    const document = path.join(work, 'twice.md');
    writeFileSync(document, '---\nslug: created-twice\nkind: petition\ntitle: Created twice\n---\nBody.\n');
    expect((await tadamon(['campaign', 'create', document])).code).toBe(0);
    const twice = await tadamon(['campaign', 'create', document]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('Error: Conflict (409): The slug "created-twice" is already taken.');

    const draft = await campaignOfMyOwn('Never published', { open: false });
    const closeDraft = await tadamon(['campaign', 'close', draft]);
    expect(closeDraft.code).toBe(1);
    expect(closeDraft.stderr).toMatch(/Conflict \(409\)/);

    const unknown = await tadamon(['campaign', 'show', 'no-such-campaign', '--json']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { kind: 'ApiError', status: 404, problem: { title: 'Not Found' } } });

    const badToken = await tadamon(['campaign', 'list', '--url', stack.url, '--token', 'not-the-token'], { connect: false });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toContain('Unauthorized (401)');
    expect(badToken.stderr).toContain('The operator token (from the flag) was not accepted.');
  });

  it('exits 2 on usage errors and explains connection failures', async () => {
    const closedPort = await freePort(); // free: nothing listens there
    const [noReason, notANumber, noUrl, refused, help] = await Promise.all([
      tadamon(['offset', 'set', 'free-nasser-zefzafi', '5']),
      tadamon(['offset', 'set', 'free-nasser-zefzafi', 'many', '--reason', 'x']),
      tadamon(['campaign', 'list'], { connect: false }),
      tadamon(['campaign', 'list', '--url', `http://127.0.0.1:${closedPort}`, '--token', 't'], { connect: false }),
      tadamon(['offset', 'set', '--help'], { connect: false }),
    ]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain('Not a whole number.');
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('No API URL given.');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Nothing is listening at http://127.0.0.1:${closedPort} (connection refused).`);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tadamon offset set|SET [options] <slug> <n>');
  });

  it('takes URL and token from flags, then the environment, then the config file', async () => {
    const config = path.join(work, 'config.json');
    writeFileSync(config, JSON.stringify({ url: 'http://127.0.0.1:9', token: 'from-file' }));
    const fromEnv = await tadamon(['config', 'show', '--json'], {
      connect: false,
      env: { TADAMON_CONFIG: config, TADAMON_URL: stack.url, TADAMON_TOKEN: stack.adminToken },
    });
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ url: stack.url, urlFrom: 'environment', tokenFrom: 'environment' });
    const fromFile = await tadamon(['config', 'show', '--json'], { connect: false, env: { TADAMON_CONFIG: config } });
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ url: 'http://127.0.0.1:9', urlFrom: 'config file', tokenFrom: 'config file' });
    const fromFlag = await tadamon(['config', 'show', '--json', '--url', stack.url], { connect: false, env: { TADAMON_CONFIG: config, TADAMON_URL: 'http://127.0.0.1:8' } });
    expect(JSON.parse(fromFlag.stdout)).toMatchObject({ url: stack.url, urlFrom: 'flag' });

    // `config set` writes the file (owner-only), and commands then work with no flag at all.
    const stored = path.join(work, 'stored', 'config.json');
    for (const [key, value] of [['url', stack.url], ['token', stack.adminToken]]) {
      expect((await tadamon(['config', 'set', key!, value!], { connect: false, env: { TADAMON_CONFIG: stored } })).code).toBe(0);
    }
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    const mine = await campaignOfMyOwn('Seen through the stored config');
    const listed = await tadamon(['campaign', 'list', '--json'], { connect: false, env: { TADAMON_CONFIG: stored } });
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { items: { slug: string }[] }).items.map((c) => c.slug)).toContain(mine);
  });

  it('exports the confirmed signatures to a CSV file, counting rows with line breaks in them', async () => {
    const slug = await campaignOfMyOwn('Exported');
    const empty = path.join(work, 'empty.csv');
    expect(await tadamonJson(['export', slug, '-o', empty])).toMatchObject({ rows: 0, serverRowCount: 0 });
    // A byte-order mark first, so that spreadsheets read the file as UTF-8 (--no-bom leaves it out).
    expect(readFileSync(empty, 'utf8')).toBe('\uFEFFname,email,country,postcode,comment,signed_at,confirmed_at,locale,source,public,subscribed\n');

    await signAndConfirm(slug, 'Amina', 'amina@example.org', 'Free him.\nFree them all, "now".');
    // Counts (and the export's index) are eventually consistent: within 5 s locally.
    await counted(slug, 1);

    const file = path.join(work, 'signatures.csv');
    const run = await tadamon(['export', slug, '-o', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Wrote 1 signature`);
    const csv = readFileSync(file, 'utf8');
    expect(csv.split('\n')[0]).toBe('\uFEFFname,email,country,postcode,comment,signed_at,confirmed_at,locale,source,public,subscribed');
    expect(csv).toContain('Amina,amina@example.org,MA,,"Free him.\nFree them all, ""now"".",');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // Two more signers, then the export in parts of two rows: one file, one header, oldest first.
    for (const [name, email] of [['Bassam', 'bassam@example.org'], ['Chaimae', 'chaimae@example.org']] as const) await signAndConfirm(slug, name, email);
    await counted(slug, 3);
    const inParts = path.join(work, 'in-parts.csv');
    const parted = await tadamonJson<{ rows: number; parts: number; serverRowCount: number }>(['export', slug, '-o', inParts, '--part-rows', '2']);
    expect(parted).toMatchObject({ rows: 3, serverRowCount: 3 });
    expect(parted.parts).toBeGreaterThanOrEqual(2);
    const joined = readFileSync(inParts, 'utf8');
    expect(joined.match(/^\uFEFF?name,email,country/gm)).toHaveLength(1);
    expect(joined.match(/\uFEFF/g)).toHaveLength(1);
    const bare = path.join(work, 'no-bom.csv');
    await tadamonJson(['export', slug, '-o', bare, '--no-bom']);
    expect(readFileSync(bare, 'utf8').startsWith('name,email,country')).toBe(true);
    const countries = path.join(work, 'countries.csv');
    expect(await tadamonJson(['export', slug, '--countries', '-o', countries])).toMatchObject({ countries: 1 });
    expect(readFileSync(countries, 'utf8')).toBe('\uFEFFcountry,country_name,signatures,partners,total\nMA,Morocco,3,0,3\n');
    expect([...joined.matchAll(/^(\w+),\w+@example\.org/gm)].map((m) => m[1])).toEqual(['Amina', 'Bassam', 'Chaimae']);
  });

  it('sends an urgent call and watches it to the end', async () => {
    const [slug, draft] = await Promise.all([campaignOfMyOwn('Medical care now'), campaignOfMyOwn('Not yet public', { open: false })]);
    const message = path.join(work, 'call.md');
    writeFileSync(message, 'Nasser Zefzafi needs medical care now.\n');
    const watched = await tadamonJson<{ outreachId: string; id: string; status: string; recipients: number }>([
      'urgent-call',
      slug,
      '--subject',
      'Act now for Nasser Zefzafi',
      '--message-file',
      message,
      '--watch',
      '--interval',
      '0.2',
    ]);
    expect(watched).toMatchObject({ status: 'done', recipients: 0, sent: 0, failed: 0, skipped: 0 });
    expect(watched.id).toBe(watched.outreachId);

    // Without --watch it prints the id; `outreach watch` follows it, in plain lines when not on a terminal.
    const queued = await tadamonJson<{ outreachId: string }>(['urgent-call', slug, '--subject', 'Again', '--message-file', message]);
    const plain = await tadamon(['outreach', 'watch', queued.outreachId, '--interval', '0.2']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d outreach ${queued.outreachId} 0/0  done`, 'm'));
    expect(plain.stdout).toContain(`Outreach ${queued.outreachId} (urgent-call) is done: 0 recipients`);

    const toDraft = await tadamon(['urgent-call', draft, '--subject', 'x', '--message-file', message]);
    expect(toDraft.code).toBe(1);
    expect(toDraft.stderr).toContain('Urgent calls are for open campaigns.');
  });

  it('runs the weekly digest for a period', async () => {
    const digest = await tadamonJson<{ outreachId: string; status: string }>(['digest', 'run', '--period', '2026-W47', '--watch', '--interval', '0.2']);
    expect(digest).toMatchObject({ outreachId: 'digest-2026-W47', status: 'done' });
    const bad = await tadamon(['digest', 'run', '--period', '2026-47']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Use an ISO week such as 2026-W47.');
  });

  it('lists the endorsements waiting for an operator and approves one', async () => {
    expect(await tadamonJson(['endorsements', 'pending'])).toEqual({ items: [] });
    const statement = await campaignOfMyOwn('Organisations stand together', { kind: 'statement' });
    const endorsed = await fetch(`${stack.url}/campaigns/${statement}/endorsements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organisation: 'Kongra Star', country: 'SY', email: 'contact@kongra.example.org' }),
    });
    expect(endorsed.status).toBe(202);
    const mail = await eventually(async () => (await inbox(stack.inboxUrl)).find((m) => m.destination.to.includes('contact@kongra.example.org')));
    const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1];
    expect((await fetch(`${stack.url}/confirm/${token}`, { method: 'POST' })).status).toBe(200);

    const pending = await tadamonJson<{ items: { id: string; organisation: string }[] }>(['endorsements', 'pending']);
    expect(pending.items.map((e) => e.organisation)).toEqual(['Kongra Star']);
    const approved = await tadamon(['endorsements', 'approve', pending.items[0]!.id]);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('Approved "Kongra Star"');
    expect(await tadamonJson(['endorsements', 'pending'])).toEqual({ items: [] });

    const unknown = await tadamon(['endorsements', 'reject', 'no-such-endorsement']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Error: Not Found \(404\)/);
  });

  it('runs as `npx tadamon` from the repository', async () => {
    const slug = await campaignOfMyOwn('Shown through npx');
    await asOperator(`/admin/campaigns/${slug}/offset`, 'PUT', { offset: 810, reason: 'paper forms' });
    const run = await tadamon(['campaign', 'show', slug, '--json'], { command: ['npx', ['--no', 'tadamon']] });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Campaign).counts.offset).toBe(810);
  });
});
