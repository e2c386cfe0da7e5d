import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionNetworkStandIn } from '#test/support/action-network-stand-in.ts';
import { jsonOf, runCli, type CliRun } from '#test/support/cli-runner.ts';
import { eventually, inbox, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const work = mkdtempSync(path.join(tmpdir(), 'tadamon-connectors-'));
const dataDir = path.join(work, 'data');
const actionNetwork = new ActionNetworkStandIn();
let stack: LocalProcess;
let n = 0;

function tadamon(args: string[], input?: string): Promise<CliRun> {
  return runCli(args, { cwd: work, work, connection: { url: stack.url, token: stack.adminToken }, input: input ?? '' });
}

async function api<T>(pathname: string, method = 'GET', body?: unknown): Promise<T> {
  const response = await fetch(`${stack.url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(response.status, `${method} ${pathname}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/** An open campaign of its own, with two partners. */
async function openCampaign(): Promise<string> {
  const { slug } = await api<{ slug: string }>('/admin/campaigns', 'POST', {
    kind: 'petition',
    title: `Free the Rif activists ${++n}`,
    partners: [
      { id: 'amnesty-ma', name: 'Amnesty Maroc' },
      { id: 'ligue-ma', name: 'Ligue marocaine' },
    ],
  });
  await api(`/admin/campaigns/${slug}/publish`, 'POST');
  return slug;
}

/** Connects a partner from the CLI, with a key and petition of its own; answers the petition and the key. */
async function connect(slug: string, partner: string, tags: string[] = []): Promise<{ petitionId: string; apiKey: string; run: CliRun }> {
  const apiKey = `key${++n}0123456789abcdef`;
  const petitionId = actionNetwork.petition(apiKey);
  const run = await tadamon(['connectors', 'action-network', 'set', slug, partner, '--petition', petitionId, ...tags.flatMap((t) => ['--tag', t])], `${apiKey}\n`);
  expect(run.code, run.stderr).toBe(0);
  return { petitionId, apiKey, run };
}

async function signAndConfirm(slug: string, email: string, partners: string[]): Promise<void> {
  const response = await fetch(`${stack.url}/campaigns/${slug}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Salma Ben Ali', email, country: 'MA', partners }),
  });
  expect(response.status).toBe(202);
  const mail = await eventually(async () => (await inbox(stack.inboxUrl)).filter((m) => m.destination.to.includes(email)).at(-1));
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1];
  expect((await fetch(`${stack.url}/confirm/${token}`, { method: 'POST' })).status).toBe(200);
}

const requestsTo = (petitionId: string) => actionNetwork.requests.filter((r) => r.path.includes(petitionId));

describe("an operator connects a partner's Action Network petition from the CLI, on the local runtime", () => {
  beforeAll(async () => {
    await actionNetwork.start();
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '0', ACTION_NETWORK_API_URL: actionNetwork.baseUrl });
  });

  afterAll(async () => {
    await stack?.stop();
    await actionNetwork.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('takes the key from standard input, keeps it in the local Secrets Manager, and never shows it', async () => {
    const slug = await openCampaign();
    const { petitionId, apiKey, run } = await connect(slug, 'amnesty-ma', ['rif']);
    expect(run.stdout).toContain(petitionId);
    expect(run.stdout + run.stderr).not.toContain(apiKey);

    const listed = jsonOf<{ items: { partner: string; petitionId: string; tags: string[] }[] }>(await tadamon(['connectors', 'list', slug, '--json']));
    expect(listed.items).toMatchObject([{ partner: 'amnesty-ma', type: 'action-network', petitionId, tags: ['rif'] }]);
    expect(JSON.stringify(listed)).not.toContain(apiKey);

    const secrets = path.join(dataDir, 'connector-secrets.json');
    expect(readFileSync(secrets, 'utf8')).toContain(apiKey);
    expect(statSync(secrets).mode & 0o077).toBe(0);
  });

  it('refuses a partner the campaign does not have, with a 404', async () => {
    const slug = await openCampaign();
    const run = await tadamon(['connectors', 'action-network', 'set', slug, 'greenpeace', '--petition', actionNetwork.petition('greenpeace-key-0123456789')], 'greenpeace-key-0123456789\n');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/no partner greenpeace/);
    expect(jsonOf<{ items: unknown[] }>(await tadamon(['connectors', 'list', slug, '--json'])).items).toEqual([]);
  });

  it('pushes a consented, confirmed signature and logs the delivery without the person', async () => {
    const slug = await openCampaign();
    const { petitionId, apiKey } = await connect(slug, 'amnesty-ma', ['rif']);
    await signAndConfirm(slug, 'salma@example.org', ['amnesty-ma']);
    const request = await eventually(async () => requestsTo(petitionId)[0]);
    expect(request).toMatchObject({ method: 'POST', path: `/api/v2/petitions/${petitionId}/signatures/` });
    expect(request.headers['osdi-api-token']).toBe(apiKey);
    expect(request.body).toMatchObject({ person: { given_name: 'Salma', family_name: 'Ben Ali', email_addresses: [{ address: 'salma@example.org' }] }, add_tags: ['rif'] });

    const log = await eventually(async () => {
      const page = jsonOf<{ items: { status: string }[] }>(await tadamon(['connectors', 'deliveries', slug, 'amnesty-ma', '--json']));
      return page.items.some((d) => d.status === 'delivered') ? page : undefined;
    });
    expect(log.items).toMatchObject([{ status: 'delivered', attempts: 1, lastStatus: 200 }]);
    expect(JSON.stringify(log)).not.toMatch(/salma|example\.org/);
    const human = await tadamon(['connectors', 'deliveries', slug, 'amnesty-ma']);
    expect(human.stdout).toMatch(/delivered/);
  });

  it('sends nothing to a partner once removed, nor to one the signer did not opt in to', async () => {
    const slug = await openCampaign();
    const amnesty = await connect(slug, 'amnesty-ma');
    const removed = await tadamon(['connectors', 'remove', slug, 'amnesty-ma']);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await tadamon(['connectors', 'remove', slug, 'amnesty-ma'])).code).not.toBe(0);
    const ligue = await connect(slug, 'ligue-ma');
    expect(jsonOf<{ items: { partner: string }[] }>(await tadamon(['connectors', 'list', slug, '--json'])).items.map((c) => c.partner)).toEqual(['ligue-ma']);

    // Karim opts in to amnesty-ma only (disconnected), Nadia to ligue-ma: her request, which comes after his
    // signature is counted, is the marker that his would have been sent by then.
    await signAndConfirm(slug, 'karim@example.org', ['amnesty-ma']);
    await signAndConfirm(slug, 'nadia@example.org', ['ligue-ma']);
    await eventually(async () => requestsTo(ligue.petitionId)[0]);
    expect(requestsTo(amnesty.petitionId)).toEqual([]);
    expect(requestsTo(ligue.petitionId)).toHaveLength(1);
  });
});
