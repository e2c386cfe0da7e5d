import { BatchWriteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { indexEntries } from '#shared/store/layout.ts';
import { claimDelivery, createDelivery, createDeliveries, createOutreach, finishDelivery, finishPlanning, startSending } from '#shared/store/outreach-store.ts';
import { claimPlanning, PlanningLeaseLost, type PlanningLease } from '#shared/store/planning-lease.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { confirmSubscription, subscribe } from '#shared/store/subscription-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { planOutreach } from '#shared/use-cases/plan-outreach.ts';
import { useTestTable } from '#test/support/test-table.ts';

// 60 weekly readers, more than two batches of 25; their keys once the table (and the key's secret) is set.
const emails = Array.from({ length: 60 }, (_, i) => `reader-${i}@example.org`);
let readers: string[] = [];
const start = new Date('2026-12-07T08:00:00.000Z');

async function digest(week: string): Promise<string> {
  const id = `digest-${week}`;
  await createOutreach({ id, kind: 'digest', period: week, requestedBy: 'test' });
  return id;
}

async function stored(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
}

const deliveryOf = (outreachId: string, key: string) => stored(keys.delivery(outreachId, key));

/** Another run's claim on the outreach, as it would have written it, lease ending at `until`. */
async function claimedBy(outreachId: string, runId: string, until: Date): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.outreach(outreachId),
      UpdateExpression: 'SET planningRun = :run, planningUntil = :until ADD planningClaims :one',
      ExpressionAttributeValues: { ':run': runId, ':until': until.getTime(), ':one': 1 },
    }),
  );
}

/** The writes of deliveries sent from now on: each put, by the command that carried it. */
function recordWrites() {
  const send = vi.spyOn(db(), 'send');
  const commands = () => send.mock.calls.map(([command]) => command);
  return {
    batchPuts: () =>
      commands()
        .filter((command) => command instanceof BatchWriteCommand)
        .flatMap((command) => Object.values((command as BatchWriteCommand).input.RequestItems ?? {}).flat())
        .map((request) => String(request.PutRequest?.Item?.subscriberKey)),
    conditionalWrites: () => commands().filter((command) => command instanceof TransactWriteCommand || command instanceof PutCommand).length,
  };
}

const at = (date: Date) => vi.setSystemTime(date);
const later = (ms: number) => vi.setSystemTime(new Date(Date.now() + ms));

describe("an outreach's planning lease", () => {
  beforeAll(async () => {
    await useTestTable('planning-lease');
    readers = emails.map((email) => emailKey(email));
    for (const email of emails) {
      await subscribe({ email, urgent: false, digest: 'weekly', countries: [], topics: [] });
      await confirmSubscription(keys.subscriber(emailKey(email)));
    }
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(start);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('lets the first run put every delivery once, unconditionally, queued and indexed as one created alone would be', async () => {
    const outreachId = await digest('2026-W50');
    const writes = recordWrites();

    expect(await planOutreach(outreachId)).toEqual({ recipients: 60 });

    const puts = writes.batchPuts();
    expect([...puts].sort()).toEqual([...readers].sort());
    expect(writes.conditionalWrites()).toBe(0);
    for (const key of readers) {
      expect(await deliveryOf(outreachId, key)).toEqual({
        ...keys.delivery(outreachId, key),
        type: 'delivery',
        outreachId,
        subscriberKey: key,
        status: 'queued',
        createdAt: start.toISOString(),
        ...indexEntries.delivery(outreachId, key),
      });
    }
    expect(await stored(keys.outreach(outreachId))).toMatchObject({ planned: true, recipients: 60, planningClaims: 1 });
    expect(await finishPlanning(outreachId)).toBe(60);
  });

  it('writes nothing on a second run of the same event once the first has finished, and answers the same recipients', async () => {
    const outreachId = await digest('2026-W51');
    expect(await planOutreach(outreachId)).toEqual({ recipients: 60 });
    const writes = recordWrites();

    expect(await planOutreach(outreachId)).toEqual({ recipients: 60 });
    expect(await claimPlanning(outreachId)).toEqual({ planned: 60 });
    expect(writes.batchPuts()).toEqual([]);
    expect(writes.conditionalWrites()).toBe(0);
  });

  it('takes over a lapsed lease and writes conditionally: what the dead run made stays as it is, the rest is created', async () => {
    const outreachId = await digest('2026-W52');
    await claimedBy(outreachId, 'dead-run', new Date(start.getTime() - 1_000));
    const [sent, claimed, queued] = readers as [string, string, string];
    for (const key of [sent, claimed, queued]) expect(await createDelivery(outreachId, key)).toBe(true);
    expect(await claimDelivery(outreachId, sent)).toBe(true);
    expect(await startSending(outreachId, sent)).toBe(true);
    expect(await finishDelivery(outreachId, sent, 'sending', 'sent')).toBe(true);
    expect(await claimDelivery(outreachId, claimed)).toBe(true);
    const before = await Promise.all([sent, claimed, queued].map((key) => deliveryOf(outreachId, key)));
    const writes = recordWrites();

    expect(await planOutreach(outreachId)).toEqual({ recipients: 60 });

    expect(writes.batchPuts()).toEqual([]);
    expect(await Promise.all([sent, claimed, queued].map((key) => deliveryOf(outreachId, key)))).toEqual(before);
    expect(before.map((item) => item?.status)).toEqual(['sent', 'claimed', 'queued']);
    for (const key of readers.slice(3)) expect((await deliveryOf(outreachId, key))?.status).toBe('queued');
    const outreach = await stored(keys.outreach(outreachId));
    expect(outreach).toMatchObject({ planned: true, recipients: 60, sent: 1, planningClaims: 2 });
    expect(outreach?.planningRun).not.toBe('dead-run');
  });

  it('makes a duplicate wait for the run holding a live lease, write nothing, and answer its count', async () => {
    const outreachId = await digest('2027-W01');
    const holder = await claimPlanning(outreachId, { runId: 'live-run' });
    if (!('lease' in holder)) throw new Error('the first claim must get the lease');
    expect(holder.lease.mode).toBe('first');
    const planned = readers.slice(0, 40);
    let polls = 0;
    // While the duplicate waits, the holder plans (a part of the readers, to tell its deliveries from any other).
    const sleep = async () => {
      polls += 1;
      if (polls === 2) {
        await createDeliveries(outreachId, planned, holder.lease);
        await finishPlanning(outreachId);
      }
      later(2_000);
    };

    expect(await planOutreach(outreachId, { sleep })).toEqual({ recipients: 40 });
    expect(polls).toBe(2);
    for (const key of readers.slice(40)) expect(await deliveryOf(outreachId, key)).toBeUndefined();
    expect(await stored(keys.outreach(outreachId))).toMatchObject({ planningRun: 'live-run', planningClaims: 1 });
  });

  it("makes a duplicate take over once the holder's lease lapses, and plan conditionally", async () => {
    const outreachId = await digest('2027-W02');
    const holder = await claimPlanning(outreachId, { runId: 'stalled-run' });
    if (!('lease' in holder)) throw new Error('the first claim must get the lease');
    await createDeliveries(outreachId, readers.slice(0, 10), holder.lease);
    let polls = 0;
    const writes = recordWrites();

    const outcome = await planOutreach(outreachId, {
      sleep: async (ms) => {
        polls += 1;
        later(ms);
      },
    });

    expect(outcome).toEqual({ recipients: 60 });
    // Two seconds a poll: the 60 s lease lapses on the 31st.
    expect(polls).toBe(31);
    expect(writes.batchPuts()).toEqual([]);
    expect(await stored(keys.outreach(outreachId))).toMatchObject({ planned: true, planningClaims: 2 });
  });

  it('gives up waiting after its bound, having written nothing, for Lambda to retry it later', async () => {
    const outreachId = await digest('2027-W03');
    expect(await claimPlanning(outreachId, { runId: 'live-run' })).toHaveProperty('lease');
    const writes = recordWrites();

    await expect(planOutreach(outreachId, { maxWaitMs: 10_000, sleep: async (ms) => void later(ms) })).rejects.toThrow(/still being planned by another run/);
    expect(writes.batchPuts()).toEqual([]);
    expect(writes.conditionalWrites()).toBe(0);
    expect(await stored(keys.outreach(outreachId))).toMatchObject({ planned: false, planningRun: 'live-run' });
  });

  it('stops a holder whose renewal is refused, before it writes anything more', async () => {
    const outreachId = await digest('2027-W04');
    const claim = await claimPlanning(outreachId, { runId: 'slow-run' });
    if (!('lease' in claim)) throw new Error('the first claim must get the lease');
    const lease: PlanningLease = claim.lease;
    expect(await createDeliveries(outreachId, readers.slice(0, 30), lease)).toBe(30);

    // The holder stalls past its lease; another run takes over.
    later(61_000);
    await claimedBy(outreachId, 'next-run', new Date(Date.now() + 60_000));
    const writes = recordWrites();

    await expect(createDeliveries(outreachId, readers.slice(30), lease)).rejects.toThrow(PlanningLeaseLost);
    await expect(createDeliveries(outreachId, readers.slice(30), lease)).rejects.toThrow(PlanningLeaseLost);
    expect(writes.batchPuts()).toEqual([]);
    for (const key of readers.slice(30)) expect(await deliveryOf(outreachId, key)).toBeUndefined();
    expect(await stored(keys.outreach(outreachId))).toMatchObject({ planningRun: 'next-run' });
  });

  it('renews a live lease before a write that starts more than a third of a lease after the last renewal', async () => {
    const outreachId = await digest('2027-W05');
    const claim = await claimPlanning(outreachId, { runId: 'long-run' });
    if (!('lease' in claim)) throw new Error('the first claim must get the lease');
    later(15_000);
    await createDeliveries(outreachId, readers.slice(0, 5), claim.lease);
    expect((await stored(keys.outreach(outreachId)))?.planningUntil).toBe(start.getTime() + 60_000);

    later(6_000);
    await createDeliveries(outreachId, readers.slice(5, 10), claim.lease);
    expect((await stored(keys.outreach(outreachId)))?.planningUntil).toBe(start.getTime() + 21_000 + 60_000);
  });
});
