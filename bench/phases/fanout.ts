import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureTable, startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { startLocalInbox } from '#infra/local/inbox.ts';
import { freePort } from '#infra/local/ports.ts';
import { BenchDynamo } from '../dynamo.ts';
import { seedSubscribers } from '../seed.ts';
import { Api } from '../stack.ts';
import { runChild } from '../child.ts';
import type { PlanningJob, PlanningResult } from '../planning-child.ts';
import { percentile, sleep } from '../stats.ts';

const childScript = path.join(import.meta.dirname, '..', 'fanout-child.ts');
const planningScript = path.join(import.meta.dirname, '..', 'planning-child.ts');

export interface FanoutSettings {
  subscribers: number;
  capPerSecond: number;
  /** Kill the sender (SIGKILL) once this share of the recipients has been sent. */
  killAt: number;
}

export interface FanoutResult {
  subscribers: number;
  /** From the call's request until its recipients were counted, the senders already sending meanwhile. */
  planningMs: number;
  /**
   * The planner alone over as many subscribers, in a process of its own, with nothing else on DynamoDB Local:
   * the median of three digests (each a first run). In the fan-out the senders' writes share the JVM with it.
   */
  planningAloneMs: number;
  planningAloneRunsMs: number[];
  capPerSecond: number;
  maxPerSecond: number;
  meanPerSecondWhileSending: number;
  /** Every mail sent over the seconds from the call's request to its last send: planning, the kill and the restart included. */
  meanPerSecondOverall: number;
  duplicates: number;
  missed: number;
  sent: number;
  killedAfterSent: number;
  restartMs: number;
  totalMs: number;
  outreach: Record<string, unknown>;
  perSecond: number[];
  seedMs: number;
}

interface Sender {
  child: ChildProcess;
  api: Api;
}

function startSender(job: { adminToken: string } & Record<string, string>): Promise<Sender> {
  return new Promise((resolve, reject) => {
    const child = fork(childScript, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (message: { url?: string; error?: string }) =>
      message.url ? resolve({ child, api: new Api({ url: message.url, adminToken: job.adminToken, inboxUrl: undefined }) }) : reject(new Error(message.error)),
    );
    child.once('error', reject);
    child.send(job);
  });
}

/**
 * 10,000 confirmed subscribers, one urgent call: how long planning takes, whether the sender keeps under the
 * SES rate cap (and near it), and whether killing the sender mid-run and starting another loses or doubles
 * anyone. Counts come from the inbox itself: one mail per recipient, no more, no fewer.
 */
export async function measureFanout(settings: FanoutSettings): Promise<FanoutResult> {
  const alone = await planAlone(settings.subscribers);
  const dynamo = await startDynamoDbLocal(undefined);
  const inbox = await startLocalInbox(await freePort());
  const tableName = 'fanout';
  const db = new BenchDynamo(dynamo.endpoint, tableName);
  const adminToken = 'bench-fanout-operator';
  const senders: Sender[] = [];
  const cleanups: (() => void)[] = [];
  process.env.SES_RATE_PER_SECOND = String(settings.capPerSecond);
  try {
    await ensureTable(db.client, tableName);
    const seedStart = performance.now();
    await seedSubscribers(db, settings.subscribers, 'fanout-subscriber');
    const seedMs = Math.round(performance.now() - seedStart);

    // Both senders keep their stream checkpoints and queue journal in one place, as AWS keeps them for Lambda:
    // the second resumes where the first stopped instead of replaying the whole stream or losing queued mail.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-fanout-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const job = { dynamoEndpoint: dynamo.endpoint, sesEndpoint: inbox.url, tableName, adminToken, dataDir };
    senders.push(await startSender(job));
    const api = (sender: Sender, p: string, method = 'GET', body?: unknown) =>
      sender.api.operator(method, p, body).then((r) => r.json() as Promise<Record<string, unknown>>);

    const { slug } = (await api(senders[0]!, '/admin/campaigns', 'POST', { kind: 'appeal', title: 'Fan-out benchmark' })) as { slug: string };
    await api(senders[0]!, `/admin/campaigns/${slug}/publish`, 'POST');
    // A test send to one address first, as an operator checks a call before sending it: every function on the
    // way (the planner, the stream's forwarder, the sender) is loaded before the call that is measured, as warm
    // Lambda containers are. Locally a first use compiles the handler's TypeScript, seconds that Lambda's
    // bundled cold start (benchmark 9, `init`) does not have.
    const warmUp = (await api(senders[0]!, `/admin/campaigns/${slug}/urgent-calls`, 'POST', { subject: 'Warm-up', message: 'Warm-up.', testTo: ['warm-up@bench.example.org'] })) as { outreachId: string };
    for (let waited = 0; (await api(senders[0]!, `/admin/outreach/${warmUp.outreachId}`)).status !== 'done'; waited += 250) {
      if (waited > 60_000) throw new Error('The warm-up test send did not finish within a minute');
      await sleep(250);
    }
    const subject = `Fan-out benchmark ${Date.now()}`;
    const started = performance.now();
    const requestedAt = Math.floor(Date.now() / 1000);
    const { outreachId } = (await api(senders[0]!, `/admin/campaigns/${slug}/urgent-calls`, 'POST', { subject, message: 'Act now.' })) as { outreachId: string };

    let planningMs = 0;
    let killedAfterSent = 0;
    let restartMs = 0;
    let status: Record<string, unknown> = {};
    let lastProgress = performance.now();
    let lastFinished = -1;
    for (;;) {
      const sender = senders.at(-1)!;
      status = await api(sender, `/admin/outreach/${outreachId}`);
      const recipients = Number(status.recipients ?? 0);
      const finished = Number(status.sent ?? 0) + Number(status.failed ?? 0) + Number(status.skipped ?? 0);
      if (!planningMs && recipients >= settings.subscribers) planningMs = Math.round(performance.now() - started);
      if (status.status === 'done') break;
      if (finished !== lastFinished) {
        lastFinished = finished;
        lastProgress = performance.now();
      }
      // A delivery claimed by the killed sender stays `sending`: it is never re-sent, so the run ends when nothing moves.
      // (A restarted sender first retries the batch the killed one had not finished: allow it a minute to get going.)
      if (senders.length > 1 && performance.now() - lastProgress > 60_000) break;
      if (senders.length === 1 && planningMs && Number(status.sent ?? 0) >= settings.subscribers * settings.killAt) {
        killedAfterSent = Number(status.sent);
        sender.child.kill('SIGKILL');
        const restart = performance.now();
        senders.push(await startSender(job));
        restartMs = Math.round(performance.now() - restart);
      }
      await sleep(250);
    }
    const totalMs = Math.round(performance.now() - started);

    const store = (await (await fetch(`${inbox.url}/store`)).json()) as { emails: { destination: { to: string[] }; subject: string; at: number }[] };
    const mails = store.emails.filter((m) => m.subject === subject);
    const perRecipient = new Map<string, number>();
    for (const mail of mails) for (const to of mail.destination.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    const duplicates = [...perRecipient.values()].reduce((sum, n) => sum + (n - 1), 0);
    const missed = settings.subscribers - perRecipient.size;
    const seconds = mails.map((m) => m.at);
    const first = Math.min(...seconds);
    const last = Math.max(...seconds);
    const perSecond = Array.from({ length: last - first + 1 }, () => 0);
    for (const at of seconds) perSecond[at - first]! += 1;
    // While sending: whole seconds with sends, leaving out the first and last (partial) ones.
    const sending = perSecond.slice(1, -1).filter((n) => n > 0);
    return {
      subscribers: settings.subscribers,
      planningMs,
      planningAloneMs: percentile([...alone.runsMs].sort((a, b) => a - b), 50),
      planningAloneRunsMs: alone.runsMs,
      capPerSecond: settings.capPerSecond,
      maxPerSecond: Math.max(...perSecond),
      meanPerSecondWhileSending: Math.round((sending.reduce((a, b) => a + b, 0) / Math.max(1, sending.length)) * 10) / 10,
      meanPerSecondOverall: Math.round((mails.length / Math.max(1, last + 1 - requestedAt)) * 10) / 10,
      duplicates,
      missed,
      sent: mails.length,
      killedAfterSent,
      restartMs,
      totalMs,
      outreach: status,
      perSecond,
      seedMs,
    };
  } finally {
    for (const sender of senders) if (sender.child.exitCode === null) sender.child.kill('SIGTERM');
    await sleep(2000);
    await inbox.stop();
    db.destroy();
    await dynamo.stop();
    for (const cleanup of cleanups) cleanup();
  }
}

/**
 * The planner over `subscribers` on a DynamoDB Local of its own. DynamoDB Local maintains the index entries of a
 * table created after another table was filled several times slower (10,000 deliveries and their `gsi2` entries:
 * about 3 s, against 13 s beside a filled table created first): that is the local store's, not the planner's.
 */
async function planAlone(subscribers: number): Promise<PlanningResult> {
  const dynamo = await startDynamoDbLocal(undefined);
  const tableName = 'planning';
  const db = new BenchDynamo(dynamo.endpoint, tableName);
  try {
    await ensureTable(db.client, tableName);
    await seedSubscribers(db, subscribers, 'planning-subscriber');
    const alone = await runChild<PlanningJob, PlanningResult>(planningScript, { dynamoEndpoint: dynamo.endpoint, tableName, runs: 3 }, 'planning alone failed');
    if (alone.recipients !== subscribers) throw new Error(`Planning alone counted ${alone.recipients} recipients of ${subscribers}`);
    return alone;
  } finally {
    db.destroy();
    await dynamo.stop();
  }
}

export function fanoutMarkdown(f: FanoutResult | null): string {
  if (!f) return '';
  const cap = f.capPerSecond;
  return `
## 5. Urgent-call fan-out, sender killed mid-run

${f.subscribers} confirmed subscribers (seeded in ${f.seedMs} ms), one urgent call, SES_RATE_PER_SECOND=${cap}. The sender runs in
its own process; after ${f.killedAfterSent} sends it was killed with SIGKILL and a new one started on the same table and inbox
(${f.restartMs} ms to come up). Counts come from the inbox: one message per recipient, no more, no fewer.

The planner alone over ${f.subscribers} subscribers (its own process, nothing else on DynamoDB Local; three digests,
each the outreach's first run): ${f.planningAloneRunsMs.join(', ')} ms, median ${f.planningAloneMs} ms. In the run
below the senders share DynamoDB Local's JVM with it from its first deliveries on.

| planning | sent | max/s (cap ${cap}) | mean/s while sending | mean/s from the request to the last send | duplicates | missed | total |
| --- | --- | --- | --- | --- | --- | --- | --- |
| ${f.planningMs} ms | ${f.sent} | ${f.maxPerSecond} ${f.maxPerSecond <= cap ? '(under the cap)' : '**over the cap**'} | ${f.meanPerSecondWhileSending} (${Math.round((f.meanPerSecondWhileSending / cap) * 100)} % of the cap) | ${f.meanPerSecondOverall} (${Math.round((f.meanPerSecondOverall / cap) * 100)} %) | ${f.duplicates} | ${f.missed} | ${f.totalMs} ms |

"Missed" are deliveries the killed sender had already handed to SES (state \`sending\`) without the answer reaching
it: never sent again, by design (at most once). Sends per second: ${f.perSecond.join(' ')}
`;
}
