import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, operatorFetch, runCli, type CliRun } from '#test/support/cli-runner.ts';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'tadamon-import-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A CSV file in the scratch folder. */
function csv(name: string, lines: string[]): string {
  const file = path.join(work, name);
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

describe('tadamon import, against the local runtime: rows on the bus, recorded as signatures from the form are', () => {
  let stack: LocalProcess;
  const tadamon = (args: string[], input?: string): Promise<CliRun> =>
    runCli(args, { cwd: root, work, connection: { url: stack.url, token: stack.adminToken }, ...(input !== undefined ? { input } : {}) });
  const mailsTo = async (address: string) => (await inbox(stack.inboxUrl)).filter((mail) => mail.destination.to.includes(address));

  beforeAll(async () => {
    stack = await startLocalProcess({ DATA_DIR: path.join(work, 'data'), DEMO_DATA: '0' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('shows what it will do, imports the good rows after asking, mails each person their link, and imports nobody twice', async () => {
    const { slug } = await operatorFetch<{ slug: string }>(stack, '/admin/campaigns', 'POST', { kind: 'petition', title: 'Paper forms from the vigil' });
    await operatorFetch(stack, `/admin/campaigns/${slug}/publish`, 'POST');
    const file = csv('vigil.csv', [
      'Name,EMAIL,country,Subscribe,public,Locale',
      'Amina El Idrissi,amina.vigil@example.org,MA,yes,yes,fr',
      'Unreadable,amina at example dot org,MA,no,no,',
      'Karim Ben Salah,karim.vigil@example.org,tn,no,no,',
    ]);

    // A dry run only shows: the campaign, the rows, and the refused line with its reason (never its value).
    const dry = await tadamon(['import', slug, file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('Campaign: Paper forms from the vigil');
    expect(dry.stderr).toContain('3 rows: 2 to import, 1 refused');
    expect(dry.stderr).toContain('line 3: email: Not a valid email address.');
    expect(dry.stderr).not.toContain('amina at example');
    const plan = jsonOf<{ valid: number; rejected: { line: number; reason: string }[]; dryRun: boolean }>(await tadamon(['import', slug, file, '--dry-run', '--json']));
    expect(plan).toMatchObject({ valid: 2, rejected: [{ line: 3, reason: 'email: Not a valid email address.' }], dryRun: true });

    // Not confirmed: nothing happens.
    const declined = await tadamon(['import', slug, file], 'n\n');
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain('Import 2 signatures into "Paper forms from the vigil"? [y/N]');

    const imported = await tadamon(['import', slug, file], 'yes\n');
    expect(imported.stderr).toContain('line 3: email: Not a valid email address.');
    expect(imported.stdout).toContain('2 signatures on their way to "Paper forms from the vigil"');
    expect(imported.code).toBe(0);

    // The double opt-in of the form: a confirmation link each, in their language, and no count before the click.
    const [amina] = await eventually(async () => ((await mailsTo('amina.vigil@example.org')).length ? mailsTo('amina.vigil@example.org') : undefined));
    await eventually(async () => ((await mailsTo('karim.vigil@example.org')).length ? true : undefined));
    const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(amina!.body.text ?? '')?.[1];
    expect(token).toBeDefined();
    const counts = async () => ((await (await fetch(`${stack.url}/campaigns/${slug}/counts`)).json()) as { signatures: number }).signatures;
    expect(await counts()).toBe(0);
    expect((await fetch(`${stack.url}/confirm/${token}`, { method: 'POST' })).status).toBe(200);
    await eventually(async () => ((await counts()) === 1 ? true : undefined));

    // The same file again: every row is recognised by its key. A later row's mail marks when the re-run's would have come.
    const again = jsonOf<{ imported: number; failed: unknown[] }>(await tadamon(['import', slug, file, '--yes', '--json']));
    expect(again).toMatchObject({ imported: 2, failed: [] });
    const marker = csv('marker.csv', ['name,email,country', 'Marker,marker.vigil@example.org,MA']);
    expect((await tadamon(['import', slug, marker, '--yes'])).code).toBe(0);
    await eventually(async () => ((await mailsTo('marker.vigil@example.org')).length ? true : undefined));
    expect(await mailsTo('amina.vigil@example.org')).toHaveLength(1);
    expect(await mailsTo('karim.vigil@example.org')).toHaveLength(1);
    expect(await counts()).toBe(1);

    // The rows' source is the account that put them on the bus, counted per campaign like any other.
    const stats = await operatorFetch<{ bySource: Record<string, Record<string, number>> }>(stack, `/admin/campaigns/${slug}/stats`);
    expect(stats.bySource.account).toEqual({ '000000000000': 1 });
  });

  it('refuses a campaign that takes no signatures before putting anything on the bus', async () => {
    const { slug } = await operatorFetch<{ slug: string }>(stack, '/admin/campaigns', 'POST', { kind: 'petition', title: 'Still a draft' });
    const file = csv('draft.csv', ['name,email,country', 'Nour,nour.draft@example.org,EG']);
    const result = await tadamon(['import', slug, file, '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Conflict \(409\)/);
  });
});

describe('tadamon import, against a stand-in API: rows EventBridge did not take are sent again, and reported by line if they never go', () => {
  let api: Server;
  let url: string;
  /** Every row the stand-in was sent, by email, and how often. */
  const sent = new Map<string, number>();
  /** Emails whose entry always fails; those that fail once. */
  const alwaysFails = new Set(['stuck@example.org']);
  const failsOnce = new Set(['flaky@example.org']);
  /** The rows of each request, in order. */
  const batchSizes: number[] = [];

  beforeAll(async () => {
    api = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method === 'GET') {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ slug: 'vigil', title: 'Vigil', status: 'open' }));
          return;
        }
        const { signatures } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { signatures: { email: string }[] };
        batchSizes.push(signatures.length);
        const entries = signatures.map(({ email }) => {
          const times = (sent.get(email) ?? 0) + 1;
          sent.set(email, times);
          const fails = alwaysFails.has(email) || (failsOnce.has(email) && times === 1);
          return fails ? { errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' } : { eventId: `event-${email}-${times}` };
        });
        const failed = entries.filter((entry) => 'errorCode' in entry).length;
        response.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ entries, failed }));
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => api.close(() => resolve()));
  });

  it('sends 23 rows in batches of at most ten, retries the failed entries, and names the line that never went', async () => {
    const rows = Array.from({ length: 21 }, (_, i) => `Person ${i},person${i}@example.org,MA`);
    const file = csv('many.csv', ['name,email,country', ...rows.slice(0, 5), 'Flaky,flaky@example.org,MA', ...rows.slice(5, 12), 'Stuck,stuck@example.org,MA', ...rows.slice(12)]);
    const result = await runCli(['import', 'vigil', file, '--yes', '--json'], { cwd: root, work, connection: { url, token: 'operator-token' } });
    expect(result.code).toBe(1);
    const answer = JSON.parse(result.stdout) as { imported: number; failed: { line: number; error: string }[] };
    expect(answer.imported).toBe(22);
    expect(answer.failed).toEqual([{ line: 15, error: 'ThrottlingException: Rate exceeded' }]);
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { message: '1 row could not be imported (listed above); the others were.' } });
    // Each good row once; the flaky one twice; the stuck one on every try.
    expect([...sent.entries()].filter(([, times]) => times !== 1)).toEqual([
      ['flaky@example.org', 2],
      ['stuck@example.org', 4],
    ]);
    expect(sent.size).toBe(23);
    // Ten, ten, three; then the two failed rows together; then the stuck one alone, twice more.
    expect(batchSizes).toEqual([10, 10, 3, 2, 1, 1]);
  });
});
