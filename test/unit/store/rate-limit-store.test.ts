import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { admit, forgetLeases, heldLeases, type Admission } from '#shared/store/rate-limit-store.ts';

// The limiter's arithmetic (windows, shards, expiry, Retry-After, the writes it sends) on exact times;
// test/integration/guard.test.ts runs it against DynamoDB Local.
const dynamo = mockClient(DynamoDBDocumentClient);

function sent(): UpdateCommandInput[] {
  return dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
}

/** The table refuses the condition and returns the item as it is (in DynamoDB's own types), as ALL_OLD does. */
const refusedWith = (item: Record<string, unknown> | undefined) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: marshall(item) } : {}) });

const burst = { name: 'burst', limit: 5, seconds: 60 };
const sustained = { name: 'sustained', limit: 100, seconds: 3600 };
// 12:00:37: the 60 s window began at 12:00:00 (23 s remain), the hour at 12:00:00 (3,563 s remain).
const at = '2026-03-01T12:00:37Z';
const minute = Date.parse('2026-03-01T12:00:00Z') / 1000;
const hour = minute;

beforeEach(() => {
  dynamo.reset();
  forgetLeases();
  vi.stubEnv('LIMITS_TABLE_NAME', 'unit');
  resetConfig();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(at));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetConfig();
});

describe('admitting one subject', () => {
  it('counts every window in one conditional write on the subject’s item, which expires a minute after the longest window', async () => {
    dynamo.on(UpdateCommand).resolves({});
    expect((await admit('sign:ip', 'subject-1', [burst, sustained])).allowed).toBe(true);
    expect(sent()).toEqual([
      {
        TableName: 'unit',
        Key: { pk: 'RATE#sign:ip#subject-1#0', sk: 'RATE' },
        UpdateExpression: 'SET expiresAt = :expires, #s0 = :s0, #h0 = if_not_exists(#h0, :zero) + :count, #s1 = :s1, #h1 = if_not_exists(#h1, :zero) + :count',
        ConditionExpression: 'attribute_not_exists(pk) OR (#s0 = :s0 AND #h0 < :l0 AND #s1 = :s1 AND #h1 < :l1)',
        ExpressionAttributeNames: { '#s0': 'burstStart', '#h0': 'burstHits', '#s1': 'sustainedStart', '#h1': 'sustainedHits' },
        ExpressionAttributeValues: { ':count': 1, ':zero': 0, ':expires': hour + 3600 + 60, ':s0': minute, ':l0': 5, ':s1': hour, ':l1': 100 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    ]);
  });

  it('refuses, without another write, when the item shows a current window full, with the seconds that window has left', async () => {
    dynamo.on(UpdateCommand).rejects(refusedWith({ burstStart: minute, burstHits: 5, sustainedStart: hour, sustainedHits: 7 }));
    expect(await admit('sign:ip', 's', [burst, sustained])).toEqual({ allowed: false, retryAfterSeconds: 23 });
    expect(sent()).toHaveLength(1);
  });

  it('answers the longest wait when several windows are full', async () => {
    dynamo.on(UpdateCommand).rejects(refusedWith({ burstStart: minute, burstHits: 9, sustainedStart: hour, sustainedHits: 100 }));
    expect(await admit('sign:ip', 's', [burst, sustained])).toEqual({ allowed: false, retryAfterSeconds: 3563 });
  });

  it('starts a window that rolled over again at 1, on the condition that nobody did meanwhile, and counts on in the current one', async () => {
    // The minute stored is the one before: it rolled over. The hour is current, with 7 hits.
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(refusedWith({ burstStart: minute - 60, burstHits: 5, sustainedStart: hour, sustainedHits: 7 }))
      .resolves({});
    expect((await admit('sign:ip', 's', [burst, sustained])).allowed).toBe(true);
    expect(sent()[1]).toEqual({
      TableName: 'unit',
      Key: { pk: 'RATE#sign:ip#s#0', sk: 'RATE' },
      UpdateExpression: 'SET expiresAt = :expires, #s0 = :s0, #h0 = :count, #s1 = :s1, #h1 = if_not_exists(#h1, :zero) + :count',
      ConditionExpression: '#s0 = :o0 AND #s1 = :s1 AND #h1 < :l1',
      ExpressionAttributeNames: { '#s0': 'burstStart', '#h0': 'burstHits', '#s1': 'sustainedStart', '#h1': 'sustainedHits' },
      ExpressionAttributeValues: { ':count': 1, ':zero': 0, ':expires': hour + 3600 + 60, ':s0': minute, ':o0': minute - 60, ':s1': hour, ':l1': 100 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('does not refuse for a full window that has rolled over', async () => {
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(refusedWith({ burstStart: minute - 60, burstHits: 5 }))
      .resolves({});
    expect((await admit('sign:ip', 's', [burst])).allowed).toBe(true);
  });

  it('adds a window the item does not hold yet (a rule turned on), and rewrites an item the table did not return', async () => {
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(refusedWith({ burstStart: minute, burstHits: 1 }))
      .rejectsOnce(refusedWith(undefined))
      .resolves({});
    expect((await admit('sign:ip', 's', [burst, sustained])).allowed).toBe(true);
    const [, second, third] = sent();
    expect(second?.ConditionExpression).toBe('#s0 = :s0 AND #h0 < :l0 AND attribute_not_exists(#s1)');
    expect(third?.ConditionExpression).toBe('attribute_not_exists(#s0) AND attribute_not_exists(#s1)');
    expect(third?.ExpressionAttributeValues).toEqual({ ':count': 1, ':expires': hour + 3600 + 60, ':s0': minute, ':s1': hour });
  });

  it('gives up after four lost races rather than looping', async () => {
    dynamo.on(UpdateCommand).rejects(refusedWith({ burstStart: minute - 60, burstHits: 1 }));
    await expect(admit('sign:ip', 's', [burst])).rejects.toThrow('The limit of sign:ip stayed contended for 4 attempts');
    expect(sent()).toHaveLength(4);
  });

  it('passes on any other error of the table', async () => {
    dynamo.on(UpdateCommand).rejects(new Error('throttled'));
    await expect(admit('sign:ip', 's', [burst])).rejects.toThrow('throttled');
  });

  it('refuses a rule that allows nothing without writing, until its window ends', async () => {
    expect(await admit('sign:ip', 's', [{ name: 'burst', limit: 0, seconds: 60 }, sustained])).toEqual({ allowed: false, retryAfterSeconds: 23 });
    expect(sent()).toEqual([]);
  });

  it('counts a limit of 1 exactly: the second hit in the window is refused', async () => {
    dynamo.on(UpdateCommand).rejects(refusedWith({ burstStart: minute, burstHits: 1 }));
    expect((await admit('sign:ip', 's', [{ name: 'burst', limit: 1, seconds: 60 }])).allowed).toBe(false);
  });

  it.each([
    [4, true],
    [5, false],
  ])('with a limit of 5 and %i hits stored, admits: %s', async (hits, allowed) => {
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(refusedWith({ burstStart: minute, burstHits: hits }))
      .resolves({});
    expect((await admit('sign:ip', 's', [burst])).allowed).toBe(allowed);
  });
});

describe('giving an admission back', () => {
  it('takes one off every window it counted in, while none of them has rolled over', async () => {
    dynamo.on(UpdateCommand).resolves({});
    const admission = (await admit('sign:ip', 's', [burst, sustained])) as Extract<Admission, { allowed: true }>;
    await admission.release();
    expect(sent()[1]).toEqual({
      TableName: 'unit',
      Key: { pk: 'RATE#sign:ip#s#0', sk: 'RATE' },
      UpdateExpression: 'ADD #h0 :minusOne, #h1 :minusOne',
      ConditionExpression: '#s0 = :s0 AND #s1 = :s1',
      ExpressionAttributeNames: { '#s0': 'burstStart', '#h0': 'burstHits', '#s1': 'sustainedStart', '#h1': 'sustainedHits' },
      ExpressionAttributeValues: { ':minusOne': -1, ':s0': minute, ':s1': hour },
    });
  });

  it('leaves a window that has rolled over since alone, and passes on other errors', async () => {
    dynamo.on(UpdateCommand).resolvesOnce({}).rejectsOnce(refusedWith(undefined)).resolvesOnce({}).rejects(new Error('throttled'));
    const first = (await admit('sign:ip', 's', [burst])) as Extract<Admission, { allowed: true }>;
    await expect(first.release()).resolves.toBeUndefined();
    const second = (await admit('sign:ip', 's', [burst])) as Extract<Admission, { allowed: true }>;
    await expect(second.release()).rejects.toThrow('throttled');
  });
});

describe('a sharded subject', () => {
  it('spreads admissions over the shards at random, each allowed its share of every limit, rounded up', async () => {
    const random = vi.spyOn(Math, 'random');
    dynamo.on(UpdateCommand).resolves({});
    // A limit of 25 over 10 shards: 3 per shard (2.5 rounded up), so the total never falls short of 25.
    for (const draw of [0, 0.999, 0.55]) {
      random.mockReturnValue(draw);
      await admit('sign:campaign', 'campaign', [{ name: 'burst', limit: 25, seconds: 60 }], 10);
    }
    expect(sent().map((input) => input.Key?.pk)).toEqual(['RATE#sign:campaign#campaign#0', 'RATE#sign:campaign#campaign#9', 'RATE#sign:campaign#campaign#5']);
    expect(sent()[0]?.ExpressionAttributeValues?.[':l0']).toBe(3);
  });

  it('keeps a single item for an unsharded subject, whatever the draw', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.9);
    dynamo.on(UpdateCommand).resolves({});
    await admit('r', 's', [burst]);
    await admit('r', 's', [burst], 1);
    expect(sent().map((input) => input.Key?.pk)).toEqual(['RATE#r#s#0', 'RATE#r#s#0']);
  });
});

describe('a subject with a large share, admitted from a lease', () => {
  // 320 a minute: a sixteenth of the share is 20, so claims grow 1, 2, 4, 8, 16, 20.
  const busy = { name: 'burst', limit: 320, seconds: 60 };
  const claims = () => sent().map((input) => input.ExpressionAttributeValues?.[':count']);

  it('claims 1, then 2, then 4 admissions in one write each, and hands out the rest without a write', async () => {
    dynamo.on(UpdateCommand).resolves({});
    for (let i = 0; i < 7; i++) expect((await admit('sign:campaign', 'c', [busy])).allowed).toBe(true);
    expect(claims()).toEqual([1, 2, 4]);
    // Each claim is admitted only while the window has room for all of it: hits + count ≤ 320.
    expect(sent().map((input) => input.ExpressionAttributeValues?.[':l0'])).toEqual([320, 319, 317]);
  });

  it('never claims more than a sixteenth of the share', async () => {
    dynamo.on(UpdateCommand).resolves({});
    for (let i = 0; i < 200; i++) await admit('sign:campaign', 'c', [busy]);
    expect(Math.max(...(claims() as number[]))).toBe(20);
    expect((claims() as number[]).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(200);
  });

  it('claims only the room the window has left, and refuses once it has none', async () => {
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({})
      .resolvesOnce({})
      .rejectsOnce(refusedWith({ burstStart: minute, burstHits: 318 }))
      .resolvesOnce({})
      .rejects(refusedWith({ burstStart: minute, burstHits: 320 }));
    for (let i = 0; i < 3; i++) await admit('sign:campaign', 'c', [busy]);
    // The third claim wanted 4, the item had room for 2: it takes 2 (this admission and one more).
    expect((await admit('sign:campaign', 'c', [busy])).allowed).toBe(true);
    expect((await admit('sign:campaign', 'c', [busy])).allowed).toBe(true);
    expect(claims()).toEqual([1, 2, 4, 2]);
    expect(await admit('sign:campaign', 'c', [busy])).toEqual({ allowed: false, retryAfterSeconds: 23 });
  });

  it('refuses again without a write while the window that found the shard full lasts, then claims in the next', async () => {
    dynamo.on(UpdateCommand).rejectsOnce(refusedWith({ burstStart: minute, burstHits: 320 })).resolves({});
    expect(await admit('sign:campaign', 'c', [busy])).toEqual({ allowed: false, retryAfterSeconds: 23 });
    vi.setSystemTime(new Date('2026-03-01T12:00:50Z'));
    expect(await admit('sign:campaign', 'c', [busy])).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(sent()).toHaveLength(1);
    vi.setSystemTime(new Date('2026-03-01T12:01:00Z'));
    expect((await admit('sign:campaign', 'c', [busy])).allowed).toBe(true);
    expect(sent()).toHaveLength(2);
  });

  it('asks another shard of a sharded subject when the one found full is not drawn', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    dynamo.on(UpdateCommand).rejectsOnce(refusedWith({ burstStart: minute, burstHits: 320 })).resolves({});
    // 3,200 a minute over ten shards: 320 each, a lease cap of 20.
    const wide = { name: 'burst', limit: 3200, seconds: 60 };
    expect((await admit('sign:campaign', 'c', [wide], 10)).allowed).toBe(false);
    random.mockReturnValue(0.15);
    expect((await admit('sign:campaign', 'c', [wide], 10)).allowed).toBe(true);
    expect(sent().map((input) => input.Key?.pk)).toEqual(['RATE#sign:campaign#c#0', 'RATE#sign:campaign#c#1']);
  });

  it('keeps a lease only in the windows it was claimed in', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await admit('sign:campaign', 'c', [busy]);
    await admit('sign:campaign', 'c', [busy]);
    vi.setSystemTime(new Date('2026-03-01T12:01:02Z'));
    await admit('sign:campaign', 'c', [busy]);
    // The lease of two (one left) belonged to the minute that ended: the new minute starts again with a claim of 1.
    expect(claims()).toEqual([1, 2, 1]);
    expect(sent()[2]?.ExpressionAttributeValues?.[':s0']).toBe(minute + 60);
  });

  it('takes an admission given back into the lease without a write, for the next request here', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await admit('sign:campaign', 'c', [busy]);
    const second = (await admit('sign:campaign', 'c', [busy])) as Extract<Admission, { allowed: true }>;
    await admit('sign:campaign', 'c', [busy]);
    await second.release();
    await admit('sign:campaign', 'c', [busy]);
    expect(claims()).toEqual([1, 2]);
    expect(sent().every((input) => input.UpdateExpression?.startsWith('SET'))).toBe(true);
  });

  it('makes one claim at a time for requests that arrive together, the next sized for all who waited', async () => {
    dynamo.on(UpdateCommand).resolves({});
    const admissions = await Promise.all(Array.from({ length: 10 }, () => admit('sign:campaign', 'c', [busy])));
    expect(admissions.every((admission) => admission.allowed)).toBe(true);
    // The first claims 1; the nine that waited for it are served by one claim of 9.
    expect(claims()).toEqual([1, 9]);
  });

  it('lets those who waited claim again when the claim they waited for failed', async () => {
    dynamo.on(UpdateCommand).rejectsOnce(new Error('throttled')).resolves({});
    const outcomes = await Promise.allSettled(Array.from({ length: 3 }, () => admit('sign:campaign', 'c', [busy])));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(claims()).toEqual([1, 2]);
  });

  it('keeps each subject’s lease apart', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await admit('sign:campaign', 'c', [busy]);
    await admit('sign:campaign', 'c', [busy]);
    await admit('sign:campaign', 'other', [busy]);
    expect(sent().map((input) => [input.Key?.pk, input.ExpressionAttributeValues?.[':count']])).toEqual([
      ['RATE#sign:campaign#c#0', 1],
      ['RATE#sign:campaign#c#0', 2],
      ['RATE#sign:campaign#other#0', 1],
    ]);
  });

  it('forgets the leases of windows that have ended once a thousand subjects hold one', async () => {
    dynamo.on(UpdateCommand).resolves({});
    // A lease ends with its shortest window (the minute), not its longest (the hour).
    const hourly = { name: 'sustained', limit: 100_000, seconds: 3600 };
    for (let i = 0; i < 1000; i++) await admit('sign:campaign', `c${i}`, [busy, hourly]);
    await admit('sign:campaign', 'one-more', [busy, hourly]);
    // None of them has ended: all are kept.
    expect(heldLeases()).toBe(1001);
    vi.setSystemTime(new Date('2026-03-01T12:01:00Z'));
    await admit('sign:campaign', 'next', [busy, hourly]);
    // Every lease of the minute that ended is gone; only the new one is held.
    expect(heldLeases()).toBe(1);
  });

  it('gives an admission back only to the lease of the windows it was taken in', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await admit('sign:campaign', 'c', [busy]);
    const held = (await admit('sign:campaign', 'c', [busy])) as Extract<Admission, { allowed: true }>;
    vi.setSystemTime(new Date('2026-03-01T12:01:02Z'));
    await admit('sign:campaign', 'c', [busy]);
    await held.release();
    await admit('sign:campaign', 'c', [busy]);
    // The minute it was taken in has ended: the new minute's lease is not one bigger for it.
    expect(claims()).toEqual([1, 2, 1, 2]);
  });

  it('counts a subject whose share is under 32 exactly, one write an admission', async () => {
    dynamo.on(UpdateCommand).resolves({});
    for (let i = 0; i < 3; i++) await admit('sign:ip', 's', [{ name: 'burst', limit: 31, seconds: 60 }]);
    expect(claims()).toEqual([1, 1, 1]);
  });
});
