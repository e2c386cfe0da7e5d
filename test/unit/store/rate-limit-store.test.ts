import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { hit } from '#shared/store/rate-limit-store.ts';

// The limiter's arithmetic (windows, shards, expiry, Retry-After) on exact times; test/integration/guard.test.ts
// runs it against DynamoDB Local.
const dynamo = mockClient(DynamoDBDocumentClient);

function sent(): UpdateCommandInput[] {
  return dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
}

/** The table answers the counter's new value, as `ADD ... RETURN UPDATED_NEW` does. */
function counterAt(hits: number | undefined): void {
  dynamo.on(UpdateCommand).resolves(hits === undefined ? {} : { Attributes: { hits } });
}

beforeEach(() => {
  dynamo.reset();
  vi.stubEnv('LIMITS_TABLE_NAME', 'unit');
  resetConfig();
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetConfig();
});

describe('a fixed-window counter', () => {
  it('counts in the window the time falls in, keyed by rule and subject, and expires a minute after the window', async () => {
    // 12:00:37: the 60 s window began at 12:00:00, and 23 s of it remain.
    vi.setSystemTime(new Date('2026-03-01T12:00:37Z'));
    const windowStart = Date.parse('2026-03-01T12:00:00Z') / 1000;
    counterAt(1);
    expect(await hit('sign:ip-burst', 'subject-1', 5, 60)).toEqual({ allowed: true, retryAfterSeconds: 23 });
    expect(sent()).toEqual([
      {
        TableName: 'unit',
        Key: { pk: `RATE#sign:ip-burst#subject-1#${windowStart}#0`, sk: 'RATE' },
        UpdateExpression: 'ADD hits :one SET expiresAt = :expires',
        ExpressionAttributeValues: { ':one': 1, ':expires': windowStart + 60 + 60 },
        ReturnValues: 'UPDATED_NEW',
      },
    ]);
  });

  it('starts a new item, and a full Retry-After, with each window', async () => {
    counterAt(1);
    vi.setSystemTime(new Date('2026-03-01T12:59:59.900Z'));
    expect((await hit('r', 's', 5, 3600)).retryAfterSeconds).toBe(1);
    vi.setSystemTime(new Date('2026-03-01T13:00:00Z'));
    expect((await hit('r', 's', 5, 3600)).retryAfterSeconds).toBe(3600);
    const [before, after] = sent().map((input) => input.Key?.pk);
    expect(before).toBe(`RATE#r#s#${Date.parse('2026-03-01T12:00:00Z') / 1000}#0`);
    expect(after).toBe(`RATE#r#s#${Date.parse('2026-03-01T13:00:00Z') / 1000}#0`);
  });

  it.each([
    [4, true],
    [5, true],
    [6, false],
  ])('with a limit of 5, allows the hit that makes %i: %s', async (hits, allowed) => {
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
    counterAt(hits);
    expect((await hit('r', 's', 5, 60)).allowed).toBe(allowed);
  });

  it('reads a counter the table did not return as no hits yet', async () => {
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
    counterAt(undefined);
    expect((await hit('r', 's', 1, 60)).allowed).toBe(true);
  });
});

describe('a sharded counter', () => {
  it('spreads hits over the shards at random, each allowed its share of the limit, rounded up', async () => {
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
    const random = vi.spyOn(Math, 'random');
    // A limit of 25 over 10 shards: 3 per shard (2.5 rounded up), so the total never falls short of 25.
    counterAt(3);
    random.mockReturnValue(0);
    expect((await hit('r', 'campaign', 25, 60, 10)).allowed).toBe(true);
    counterAt(4);
    random.mockReturnValue(0.999);
    expect((await hit('r', 'campaign', 25, 60, 10)).allowed).toBe(false);
    random.mockReturnValue(0.55);
    await hit('r', 'campaign', 25, 60, 10);
    expect(sent().map((input) => input.Key?.pk.split('#').at(-1))).toEqual(['0', '9', '5']);
  });

  it('keeps a single shard for an unsharded counter, whatever the draw', async () => {
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
    vi.spyOn(Math, 'random').mockReturnValue(0.9);
    counterAt(1);
    await hit('r', 's', 5, 60);
    await hit('r', 's', 5, 60, 1);
    expect(sent().map((input) => input.Key?.pk.split('#').at(-1))).toEqual(['0', '0']);
  });
});
