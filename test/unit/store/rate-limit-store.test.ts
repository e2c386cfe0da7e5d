import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { admit, type Admission } from '#shared/store/rate-limit-store.ts';

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
        UpdateExpression: 'SET expiresAt = :expires, #s0 = :s0, #h0 = if_not_exists(#h0, :zero) + :one, #s1 = :s1, #h1 = if_not_exists(#h1, :zero) + :one',
        ConditionExpression: 'attribute_not_exists(pk) OR (#s0 = :s0 AND #h0 < :l0 AND #s1 = :s1 AND #h1 < :l1)',
        ExpressionAttributeNames: { '#s0': 'burstStart', '#h0': 'burstHits', '#s1': 'sustainedStart', '#h1': 'sustainedHits' },
        ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':expires': hour + 3600 + 60, ':s0': minute, ':l0': 5, ':s1': hour, ':l1': 100 },
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
      UpdateExpression: 'SET expiresAt = :expires, #s0 = :s0, #h0 = :one, #s1 = :s1, #h1 = if_not_exists(#h1, :zero) + :one',
      ConditionExpression: '#s0 = :o0 AND #s1 = :s1 AND #h1 < :l1',
      ExpressionAttributeNames: { '#s0': 'burstStart', '#h0': 'burstHits', '#s1': 'sustainedStart', '#h1': 'sustainedHits' },
      ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':expires': hour + 3600 + 60, ':s0': minute, ':o0': minute - 60, ':s1': hour, ':l1': 100 },
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
    expect(third?.ExpressionAttributeValues).toEqual({ ':one': 1, ':expires': hour + 3600 + 60, ':s0': minute, ':s1': hour });
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
