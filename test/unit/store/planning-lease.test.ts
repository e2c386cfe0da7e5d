import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { createDeliveries, type WritingLease } from '#shared/store/outreach-store.ts';
import { claimPlanning, PlanningLease, PlanningLeaseLost } from '#shared/store/planning-lease.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const start = new Date('2026-12-07T08:00:00.000Z');
const conditionFailed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: marshall(item) } : {}) });

const updates = () => dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
const keysOf = (count: number) => Array.from({ length: count }, (_, i) => `key-${String(i).padStart(3, '0')}`);
const batchKeys = (input: BatchWriteCommandInput) => (input.RequestItems?.unit ?? []).map((request) => String(request.PutRequest?.Item?.subscriberKey));

beforeEach(() => {
  dynamo.reset();
  vi.stubEnv('TABLE_NAME', 'unit');
  resetConfig();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(start);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetConfig();
});

describe('claiming the planning of an outreach', () => {
  it('is one conditional update: the outreach exists, is not planned, and has no live lease of another run', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { planningClaims: 0 } });
    const claim = await claimPlanning('o1', { runId: 'run-1' });

    expect(claim).toHaveProperty('lease.mode', 'first');
    expect(updates()).toHaveLength(1);
    expect(updates()[0]).toMatchObject({
      Key: { pk: 'OUTREACH#o1', sk: 'OUTREACH' },
      UpdateExpression: 'SET planningRun = :run, planningUntil = :until ADD planningClaims :one',
      ConditionExpression: 'attribute_exists(pk) AND NOT planned = :true AND (attribute_not_exists(planningRun) OR planningUntil < :now)',
      ExpressionAttributeValues: { ':run': 'run-1', ':until': start.getTime() + 60_000, ':now': start.getTime(), ':one': 1, ':true': true },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('is first only where no run claimed it before: after a claim, or on an outreach older than the lease, it is after', async () => {
    dynamo.on(UpdateCommand).resolvesOnce({ Attributes: { planningClaims: 1, planningRun: 'dead', planningUntil: 1 } }).resolvesOnce({ Attributes: {} });
    expect(await claimPlanning('o1')).toHaveProperty('lease.mode', 'after');
    expect(await claimPlanning('o1')).toHaveProperty('lease.mode', 'after');
  });

  it('answers the recipients of a planned outreach, and a missing outreach as such, from the refused claim alone', async () => {
    dynamo.on(UpdateCommand).rejectsOnce(conditionFailed({ planned: true, recipients: 12 })).rejectsOnce(conditionFailed());
    expect(await claimPlanning('o1')).toEqual({ planned: 12 });
    expect(await claimPlanning('o1')).toEqual({ missing: true });
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('polls a busy outreach by reading it, and claims again only once the lease has lapsed', async () => {
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed({ planned: false, planningRun: 'other', planningUntil: start.getTime() + 3_000 }))
      .resolvesOnce({ Attributes: { planningClaims: 1 } });
    dynamo.on(GetCommand).resolves({ Item: { planned: false, recipients: 0, planningUntil: start.getTime() + 3_000 } });
    const sleep = vi.fn(async (ms: number) => void vi.setSystemTime(new Date(Date.now() + ms)));

    expect(await claimPlanning('o1', { sleep, pollMs: 1_000 })).toHaveProperty('lease.mode', 'after');
    // Lapsed once the clock is past it: at 4 s, after the fourth read.
    expect(sleep).toHaveBeenCalledTimes(4);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(4);
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({ ConsistentRead: true });
    expect(updates()).toHaveLength(2);
  });

  it('takes a lease that has vanished while it waited for lapsed, and answers an outreach that has vanished as missing', async () => {
    const busy = conditionFailed({ planned: false, planningRun: 'other', planningUntil: start.getTime() + 60_000 });
    const sleep = vi.fn(async () => undefined);
    dynamo.on(UpdateCommand).rejectsOnce(busy).resolvesOnce({ Attributes: { planningClaims: 1 } });
    dynamo.on(GetCommand).resolvesOnce({ Item: { planned: false, recipients: 0 } });
    expect(await claimPlanning('o1', { sleep })).toHaveProperty('lease.mode', 'after');

    dynamo.reset();
    dynamo.on(UpdateCommand).rejects(busy);
    dynamo.on(GetCommand).resolves({});
    expect(await claimPlanning('o1', { sleep })).toEqual({ missing: true });
    expect(updates()).toHaveLength(1);
  });

  it('takes an outreach made before the lease, whose claim returns no old attributes, as after', async () => {
    dynamo.on(UpdateCommand).resolves({});
    expect(await claimPlanning('o1')).toHaveProperty('lease.mode', 'after');
  });

  it('gives up after waiting its bound, naming how long it waited, without claiming again', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed({ planned: false, planningRun: 'other', planningUntil: start.getTime() + 600_000 }));
    dynamo.on(GetCommand).resolves({ Item: { planned: false, recipients: 0, planningUntil: start.getTime() + 600_000 } });
    const sleep = vi.fn(async () => undefined);
    await expect(claimPlanning('o1', { sleep, pollMs: 2_000, maxWaitMs: 4_000 })).rejects.toThrow('still being planned by another run after 4 s');
    // Two polls fill the bound exactly: no third.
    expect(sleep).toHaveBeenCalledTimes(2);
    expect(updates()).toHaveLength(1);
  });

  it('passes on a failure other than a refused condition, of the claim or of a renewal, without taking the lease for lost', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    dynamo.on(UpdateCommand).rejectsOnce(throttled).rejectsOnce(throttled).resolves({});
    await expect(claimPlanning('o1')).rejects.toThrow('Rate exceeded');

    const held = new PlanningLease('o1', 'run-1', 'first', start.getTime(), 60_000);
    vi.setSystemTime(new Date(start.getTime() + 30_000));
    await expect(held.beforeWrite()).rejects.toThrow('Rate exceeded');
    // Not lost: the next write renews again, and goes ahead.
    await held.beforeWrite();
    expect(updates()).toHaveLength(3);
  });
});

describe('renewing the lease', () => {
  const lease = () => new PlanningLease('o1', 'run-1', 'first', start.getTime(), 60_000);

  it('lets writes start without a request within a third of a lease of the last renewal', async () => {
    const held = lease();
    vi.setSystemTime(new Date(start.getTime() + 20_000));
    await held.beforeWrite();
    await held.beforeWrite();
    expect(updates()).toHaveLength(0);
  });

  it('renews later, once for the writes waiting together, on condition that this run still holds it', async () => {
    dynamo.on(UpdateCommand).resolves({});
    const held = lease();
    vi.setSystemTime(new Date(start.getTime() + 20_001));
    await Promise.all([held.beforeWrite(), held.beforeWrite(), held.beforeWrite()]);
    expect(updates()).toEqual([
      {
        TableName: 'unit',
        Key: { pk: 'OUTREACH#o1', sk: 'OUTREACH' },
        UpdateExpression: 'SET planningUntil = :until',
        ConditionExpression: 'planningRun = :run',
        ExpressionAttributeValues: { ':run': 'run-1', ':until': start.getTime() + 20_001 + 60_000 },
      },
    ]);
    // Renewed: the next third of a lease runs from the renewal.
    vi.setSystemTime(new Date(start.getTime() + 40_000));
    await held.beforeWrite();
    expect(updates()).toHaveLength(1);
    // And past it, renewed again.
    vi.setSystemTime(new Date(start.getTime() + 40_002));
    await held.beforeWrite();
    expect(updates()).toHaveLength(2);
  });

  it('stops the run for good once the renewal is refused', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    const held = lease();
    vi.setSystemTime(new Date(start.getTime() + 30_000));
    await expect(held.beforeWrite()).rejects.toThrow(expect.objectContaining({ name: 'PlanningLeaseLost', message: expect.stringContaining('outreach o1') }));
    vi.setSystemTime(new Date(start.getTime() + 30_001));
    await expect(held.beforeWrite()).rejects.toThrow(PlanningLeaseLost);
    expect(updates()).toHaveLength(1);
  });
});

describe("a first run's deliveries, put in batches", () => {
  const first = (): WritingLease & { checks: number } => {
    const lease = { mode: 'first' as const, checks: 0, beforeWrite: async () => void (lease.checks += 1) };
    return lease;
  };

  it('are put 25 to a request without a condition, each key once, each request after asking the lease', async () => {
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
    const lease = first();
    expect(await createDeliveries('o1', keysOf(60), lease)).toBe(60);

    const batches = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input);
    expect(batches.map((input) => batchKeys(input).length).sort()).toEqual([10, 25, 25]);
    expect(batches.flatMap(batchKeys).sort()).toEqual(keysOf(60));
    expect(JSON.stringify(batches)).not.toContain('ConditionExpression');
    expect(lease.checks).toBe(3);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('puts again only what DynamoDB left unprocessed', async () => {
    dynamo.on(BatchWriteCommand).callsFakeOnce((input: BatchWriteCommandInput) => ({ UnprocessedItems: { unit: input.RequestItems!.unit!.slice(0, 2) } })).resolves({ UnprocessedItems: {} });
    const lease = first();
    expect(await createDeliveries('o1', keysOf(5), lease)).toBe(5);

    const batches = dynamo.commandCalls(BatchWriteCommand).map((call) => batchKeys(call.args[0].input));
    expect(batches).toEqual([keysOf(5), keysOf(2)]);
    expect(lease.checks).toBe(2);
  });

  it('writes a batch whose request failed (perhaps written in part) conditionally instead', async () => {
    dynamo.on(BatchWriteCommand).rejects(Object.assign(new Error('A write that may have been done is not repeated'), { name: 'WriteNotRepeated' }));
    dynamo.on(TransactWriteCommand).resolves({});
    expect(await createDeliveries('o1', keysOf(3), first())).toBe(3);

    const [transaction] = dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);
    expect(transaction?.TransactItems?.map((item) => [item.Put?.Item?.subscriberKey, item.Put?.ConditionExpression])).toEqual(
      keysOf(3).map((key) => [key, 'attribute_not_exists(pk)']),
    );
  });

  it('sends nothing once the lease is lost, and fails only when every writer has stopped', async () => {
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
    const lost = { mode: 'first' as const, beforeWrite: () => Promise.reject(new PlanningLeaseLost('o1')) };
    await expect(createDeliveries('o1', keysOf(300), lost)).rejects.toThrow(PlanningLeaseLost);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('sends each request with a time limit, so a write cannot outlast the lease it started under', async () => {
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
    await createDeliveries('o1', keysOf(3), first());
    const [options] = dynamo.commandCalls(BatchWriteCommand).map((call) => (call.args as unknown[])[1] as { abortSignal?: unknown } | undefined);
    expect(options?.abortSignal).toBeInstanceOf(AbortSignal);
  });

  it('waits before putting the unprocessed again, longer each round up to about 3 s, and gives up after ten rounds', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    // Throttled for good: every request leaves its items unprocessed.
    dynamo.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => ({ UnprocessedItems: input.RequestItems }));
    const requests = () => dynamo.commandCalls(BatchWriteCommand).length;
    const outcome = createDeliveries('o1', keysOf(2), first()).catch((error: unknown) => error);

    // The first request goes at once; round r waits half of min(3 s, 50 ms · 2^r) with Math.random at 0.
    await vi.advanceTimersByTimeAsync(0);
    expect(requests()).toBe(1);
    for (const [round, wait] of [[2, 100], [3, 200], [4, 400], [5, 800], [6, 1_500], [7, 1_500], [8, 1_500], [9, 1_500], [10, 1_500]] as const) {
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(requests(), `round ${round} before its wait is over`).toBe(round - 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(requests(), `round ${round}`).toBe(round);
    }
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await outcome).toEqual(new Error('2 deliveries of outreach o1 were left unprocessed 10 times'));
    expect(requests()).toBe(10);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe("deliveries written conditionally (a test send, a run after a dead one)", () => {
  it('passes on a failure of a transaction that was not cancelled, without writing its deliveries one by one', async () => {
    dynamo.on(TransactWriteCommand).rejects(Object.assign(new Error('Internal server error'), { name: 'InternalServerError' }));
    await expect(createDeliveries('o1', keysOf(3))).rejects.toThrow('Internal server error');
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });
});
