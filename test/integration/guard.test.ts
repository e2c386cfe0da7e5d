import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { guardSourceSubmission, guardSubmission, type SourceSubmission, type Submission } from '#shared/abuse/guard.ts';
import { resetConfig } from '#shared/config.ts';
import { Problem } from '#shared/http/problem.ts';
import { addBlock, removeBlock } from '#shared/store/blocklist-store.ts';
import { limitKeys } from '#shared/store/layout.ts';
import { forgetLeases } from '#shared/store/rate-limit-store.ts';
import { db, limitsTableName } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

/**
 * The guard every public submission passes, against DynamoDB Local: limits per IP and per campaign, burst and
 * sustained, each action with its own budget, blocklists, the honeypot, and the problems it answers.
 */
let address = 0;
/** A source address no other test uses, so no test spends another's budget (a few hundred of them). */
const freshIp = () => {
  address++;
  return `198.51.${100 + Math.floor(address / 250)}.${(address % 250) + 1}`;
};

const from = (sourceIp: string) => ({ requestContext: { http: { sourceIp } } }) as unknown as APIGatewayProxyEventV2;

async function outcome(ip: string, submission: Submission): Promise<'accept' | 'drop' | Problem> {
  try {
    return await guardSubmission(from(ip), submission);
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
}

async function outcomes(n: number, ip: () => string, submission: Submission): Promise<(string | number)[]> {
  const all = [];
  for (let i = 0; i < n; i++) {
    const answer = await outcome(ip(), submission);
    all.push(answer instanceof Problem ? answer.status : answer);
  }
  return all;
}

const limits = (overrides: Record<string, string>) => {
  for (const [name, value] of Object.entries({ RATE_LIMIT_IP_BURST: '0', RATE_LIMIT_IP_SUSTAINED: '0', RATE_LIMIT_CAMPAIGN_BURST: '0', RATE_LIMIT_CAMPAIGN_SUSTAINED: '0', ...overrides })) {
    vi.stubEnv(name, value);
  }
  resetConfig();
};

/** A campaign's first shard in the limits table, as the guard left it. */
const rateItem = async (scope: string, subject: string) =>
  (await db().send(new GetCommand({ TableName: limitsTableName(), Key: limitKeys.rateSubject(scope, subject, 0), ConsistentRead: true }))).Item;

let campaigns = 0;
const freshCampaign = () => `guarded-${Date.now().toString(36)}-${++campaigns}`;

describe('the guard on public submissions', () => {
  beforeAll(async () => {
    await useTestTable('guard');
  });
  beforeEach(() => {
    // Every shard of a campaign's counter is the first: its share of the limit is then exact to test.
    vi.spyOn(Math, 'random').mockReturnValue(0);
    forgetLeases();
    // Early in a minute (and an hour): a test's submissions fall in one fixed window, never across a boundary.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2036-03-01T10:00:01Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    resetConfig();
  });

  it('limits one IP address in a burst, then answers 429 rate-limited with Retry-After', async () => {
    limits({ RATE_LIMIT_IP_BURST: '3/60' });
    const ip = freshIp();
    expect(await outcomes(4, () => ip, { action: 'sign', campaign: freshCampaign() })).toEqual(['accept', 'accept', 'accept', 429]);
    const refused = (await outcome(ip, { action: 'sign', campaign: freshCampaign() })) as Problem;
    expect(refused.body).toMatchObject({ type: 'https://tadamon.org/problems/rate-limited', status: 429, title: 'Too Many Requests' });
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    // Another address has its own budget.
    expect(await outcome(freshIp(), { action: 'sign', campaign: freshCampaign() })).toBe('accept');
  });

  it('limits an IP address over the sustained window too, whatever its burst allows', async () => {
    limits({ RATE_LIMIT_IP_BURST: '100/10', RATE_LIMIT_IP_SUSTAINED: '2/3600' });
    const ip = freshIp();
    expect(await outcomes(3, () => ip, { action: 'subscribe' })).toEqual(['accept', 'accept', 429]);
  });

  it('gives every action its own budget: signing does not spend subscribing, endorsing or erasing', async () => {
    limits({ RATE_LIMIT_IP_BURST: '1/60' });
    const ip = freshIp();
    const campaign = freshCampaign();
    expect(await outcomes(2, () => ip, { action: 'sign', campaign })).toEqual(['accept', 429]);
    expect(await outcomes(2, () => ip, { action: 'subscribe' })).toEqual(['accept', 429]);
    expect(await outcomes(2, () => ip, { action: 'endorse', campaign })).toEqual(['accept', 429]);
    expect(await outcomes(2, () => ip, { action: 'erase' })).toEqual(['accept', 429]);
  });

  it('limits a campaign across every address, burst and sustained, and leaves other campaigns alone', async () => {
    // Ten shards, each allowed a tenth: with every hit on the first shard, 20/60 allows 2.
    limits({ RATE_LIMIT_CAMPAIGN_BURST: '20/60' });
    const campaign = freshCampaign();
    expect(await outcomes(3, freshIp, { action: 'sign', campaign })).toEqual(['accept', 'accept', 429]);
    expect(await outcome(freshIp(), { action: 'sign', campaign: freshCampaign() })).toBe('accept');
    // Signing and endorsing one campaign are apart too.
    expect(await outcome(freshIp(), { action: 'endorse', campaign })).toBe('accept');

    limits({ RATE_LIMIT_CAMPAIGN_BURST: '1000/10', RATE_LIMIT_CAMPAIGN_SUSTAINED: '10/3600' });
    const sustained = freshCampaign();
    expect(await outcomes(2, freshIp, { action: 'sign', campaign: sustained })).toEqual(['accept', 429]);
  });

  it('answers Retry-After with the seconds left in the window that refused', async () => {
    limits({ RATE_LIMIT_IP_BURST: '1/60' });
    vi.useFakeTimers({ toFake: ['Date'] });
    // 2036-07-01T10:00:00Z is a whole minute: the window ends at 10:01:00.
    vi.setSystemTime(new Date('2036-07-01T10:00:20Z'));
    const ip = freshIp();
    await outcome(ip, { action: 'sign', campaign: freshCampaign() });
    const refused = (await outcome(ip, { action: 'sign', campaign: freshCampaign() })) as Problem;
    expect(refused.headers['Retry-After']).toBe('40');
    // In the window's last second, still at least one.
    vi.setSystemTime(new Date('2036-07-01T10:00:59.900Z'));
    expect(((await outcome(ip, { action: 'sign', campaign: freshCampaign() })) as Problem).headers['Retry-After']).toBe('1');
    // A new window, a new budget.
    vi.setSystemTime(new Date('2036-07-01T10:01:00Z'));
    expect(await outcome(ip, { action: 'sign', campaign: freshCampaign() })).toBe('accept');
  });

  it('keeps burst and sustained apart in one item: the burst starts again each window while the sustained counts on', async () => {
    limits({ RATE_LIMIT_IP_BURST: '2/10', RATE_LIMIT_IP_SUSTAINED: '3/3600' });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2036-07-01T10:00:01Z'));
    const ip = freshIp();
    expect(await outcomes(3, () => ip, { action: 'subscribe' })).toEqual(['accept', 'accept', 429]);
    // The next 10 s: a new burst, but the hour has one admission left.
    vi.setSystemTime(new Date('2036-07-01T10:00:11Z'));
    expect(await outcome(ip, { action: 'subscribe' })).toBe('accept');
    vi.setSystemTime(new Date('2036-07-01T10:00:21Z'));
    const refused = (await outcome(ip, { action: 'subscribe' })) as Problem;
    // Refused by the hour: Retry-After is the hour's, not the burst's.
    expect(refused.headers['Retry-After']).toBe(String(3600 - 21));
  });

  it("admits exactly the limit of submissions that arrive at once, also at a window's turn", async () => {
    limits({ RATE_LIMIT_IP_BURST: '5/60' });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2036-07-01T11:00:30Z'));
    const ip = freshIp();
    const together = async () => (await Promise.all(Array.from({ length: 20 }, () => outcome(ip, { action: 'sign', campaign: freshCampaign() })))).filter((o) => o === 'accept').length;
    expect(await together()).toBe(5);
    // The next minute: the item holds the last one, and every one of these must roll it over first.
    vi.setSystemTime(new Date('2036-07-01T11:01:30Z'));
    expect(await together()).toBe(5);
  });

  it("admits a busy campaign's limit from leases, in a few writes, and not one submission more", async () => {
    // 3,200 a minute over ten shards (every hit on the first): a share of 320, claimed up to 20 at a time.
    limits({ RATE_LIMIT_CAMPAIGN_BURST: '3200/60' });
    const campaign = freshCampaign();
    const send = vi.spyOn(db(), 'send');
    const answers = [
      ...(await Promise.all(Array.from({ length: 40 }, () => outcome(freshIp(), { action: 'sign', campaign })))),
      ...(await outcomes(360, freshIp, { action: 'sign', campaign })),
    ].map((answer) => (answer instanceof Problem ? answer.status : answer));
    expect(answers.filter((answer) => answer === 'accept')).toHaveLength(320);
    expect(answers.slice(-40)).toEqual(Array.from({ length: 40 }, () => 429));
    expect(await rateItem('sign:campaign', campaign)).toMatchObject({ burstHits: 320 });
    // One write an admission would be 320, and one more for each refusal: the forty that came at once claim one
    // each, the rest grow to 20 at a time, and the first refusal is the last write.
    const limiterWrites = send.mock.calls.filter(([command]) => command instanceof UpdateCommand && command.input.TableName === limitsTableName());
    expect(limiterWrites.length).toBeLessThan(80);
  });

  it('leaves no trace of a refused submission: the budget another rule refused it for is given back', async () => {
    // Each address may submit twice a minute; the campaign (every hit on its first shard) once.
    limits({ RATE_LIMIT_IP_BURST: '2/60', RATE_LIMIT_CAMPAIGN_BURST: '10/60' });
    const ip = freshIp();
    const crowded = freshCampaign();
    expect(await outcome(freshIp(), { action: 'sign', campaign: crowded })).toBe('accept');
    const before = await rateItem('sign:campaign', crowded);
    // Refused by the campaign: the address's admission is given back, and the campaign's item is as it was.
    expect(((await outcome(ip, { action: 'sign', campaign: crowded })) as Problem).status).toBe(429);
    expect(await rateItem('sign:campaign', crowded)).toEqual(before);
    expect([await outcome(ip, { action: 'sign', campaign: freshCampaign() }), await outcome(ip, { action: 'sign', campaign: freshCampaign() })]).toEqual(['accept', 'accept']);
    // Refused by the address: the campaign it was for counts nothing.
    const quiet = freshCampaign();
    expect(((await outcome(ip, { action: 'sign', campaign: quiet })) as Problem).status).toBe(429);
    expect(await rateItem('sign:campaign', quiet)).toMatchObject({ burstHits: 0 });
    expect(await outcome(freshIp(), { action: 'sign', campaign: quiet })).toBe('accept');
  });

  it.each(['0', 'off'])('turns a rule off with %s', async (off) => {
    limits({ RATE_LIMIT_IP_BURST: off, RATE_LIMIT_CAMPAIGN_BURST: off });
    const ip = freshIp();
    expect(await outcomes(5, () => ip, { action: 'sign', campaign: freshCampaign() })).toEqual(Array.from({ length: 5 }, () => 'accept'));
  });

  it.each(['20', '20/', '/10', 'twenty/10', '20/10/5', '-1/10'])('refuses a malformed limit %s rather than guarding nothing', async (spec) => {
    limits({ RATE_LIMIT_IP_BURST: spec });
    await expect(guardSubmission(from(freshIp()), { action: 'sign' })).rejects.toThrow(/Invalid rate limit/);
  });

  it('refuses blocked addresses, ranges and email domains with 403 blocked, before any limit is spent', async () => {
    limits({ RATE_LIMIT_IP_BURST: '1/60' });
    const ip = '203.0.113.77';
    await addBlock({ kind: 'ip', value: '203.0.113.0/24', reason: 'flood', by: 'test' });
    const refused = (await outcome(ip, { action: 'sign', campaign: freshCampaign() })) as Problem;
    expect(refused).toBeInstanceOf(Problem);
    expect(refused.body).toMatchObject({ type: 'https://tadamon.org/problems/blocked', status: 403 });
    await removeBlock('ip', '203.0.113.0/24');
    // The refusal spent nothing: the one allowed submission is still there.
    expect(await outcome(ip, { action: 'sign', campaign: freshCampaign() })).toBe('accept');

    await addBlock({ kind: 'email-domain', value: 'spam.example', reason: 'bots', by: 'test' });
    expect(((await outcome(freshIp(), { action: 'subscribe', email: 'bot@mail.spam.example' })) as Problem).status).toBe(403);
    expect(await outcome(freshIp(), { action: 'subscribe', email: 'person@notspam.example' })).toBe('accept');
  });

  it('drops a filled honeypot without spending a limit or answering differently', async () => {
    limits({ RATE_LIMIT_IP_BURST: '1/60' });
    const ip = freshIp();
    expect(await outcome(ip, { action: 'sign', campaign: freshCampaign(), honeypot: 'https://bot.example' })).toBe('drop');
    expect(await outcome(ip, { action: 'sign', campaign: freshCampaign() })).toBe('accept');
  });

  it('answers a failed captcha with 400 captcha naming the field', async () => {
    limits({});
    vi.stubEnv('CAPTCHA_PROVIDER', 'turnstile');
    vi.stubEnv('CAPTCHA_SECRET', 'secret');
    resetConfig();
    const refused = (await outcome(freshIp(), { action: 'sign', campaign: freshCampaign() })) as Problem;
    expect(refused.body).toMatchObject({ type: 'https://tadamon.org/problems/captcha', status: 400, errors: [{ path: 'captchaToken' }] });
  });

  it('behind the edge, limits each viewer by the address CloudFront forwards, and believes it only beside the edge secret', async () => {
    const secret = 'edge-secret-of-this-deployment-0123';
    limits({ RATE_LIMIT_IP_BURST: '2/60', EDGE_ORIGIN_SECRET: secret });
    const edge = freshIp();
    const through = (viewer: string, proof?: string) =>
      ({ requestContext: { http: { sourceIp: edge } }, headers: { 'cloudfront-viewer-address': `${viewer}:443`, ...(proof ? { 'x-tadamon-edge': proof } : {}) } }) as unknown as APIGatewayProxyEventV2;
    const answer = (event: APIGatewayProxyEventV2) =>
      guardSubmission(event, { action: 'sign', campaign: freshCampaign() }).then(
        (result) => result,
        (error: unknown) => (error instanceof Problem ? error.status : Promise.reject(error)),
      );
    const [amina, bassam] = [freshIp(), freshIp()];
    // Two viewers on one edge address: each has a budget of their own.
    expect([await answer(through(amina, secret)), await answer(through(amina, secret)), await answer(through(amina, secret))]).toEqual(['accept', 'accept', 429]);
    expect(await answer(through(bassam, secret))).toBe('accept');
    // Without the secret (or with a wrong one) the forwarded header is anyone's to write: the caller's own address counts.
    expect([await answer(through(freshIp())), await answer(through(freshIp(), 'guessed-secret-guessed-secret-000')), await answer(through(freshIp()))]).toEqual(['accept', 'accept', 429]);
  });
});

describe('the guard on submissions put on the bus by an AWS account (SignatureSubmitted)', () => {
  let accounts = 0;
  /** An account no other test uses. */
  const freshAccount = () => String(900_000_000_000 + ++accounts);
  const sourceOutcome = (submission: SourceSubmission) =>
    guardSourceSubmission(submission).then(
      () => 'accept' as const,
      (error: unknown) => (error instanceof Problem ? error.status : Promise.reject(error)),
    );
  const sourceLimits = (overrides: Record<string, string>) => limits({ RATE_LIMIT_SOURCE_BURST: '0', RATE_LIMIT_SOURCE_SUSTAINED: '0', ...overrides });

  beforeAll(async () => {
    await useTestTable('guard-source');
  });
  beforeEach(() => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2036-03-01T10:00:01Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    resetConfig();
  });

  it('limits each account in its own burst and sustained windows, in the place of the IP address', async () => {
    sourceLimits({ RATE_LIMIT_SOURCE_BURST: '2/60' });
    const account = freshAccount();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await sourceOutcome({ action: 'sign', campaign: freshCampaign(), account }));
    expect(results).toEqual(['accept', 'accept', 429]);
    expect(await rateItem('sign:account', account)).toMatchObject({ burstHits: 2 });
    expect(await sourceOutcome({ action: 'sign', campaign: freshCampaign(), account: freshAccount() })).toBe('accept');

    sourceLimits({ RATE_LIMIT_SOURCE_BURST: '100/10', RATE_LIMIT_SOURCE_SUSTAINED: '1/3600' });
    const sustained = freshAccount();
    expect(await sourceOutcome({ action: 'sign', campaign: freshCampaign(), account: sustained })).toBe('accept');
    expect(await sourceOutcome({ action: 'sign', campaign: freshCampaign(), account: sustained })).toBe(429);
  });

  it("spends the campaign's own budget, the one the HTTP route spends, and gives an account's place back when the campaign refuses", async () => {
    sourceLimits({ RATE_LIMIT_SOURCE_BURST: '10/60', RATE_LIMIT_CAMPAIGN_BURST: '20/60' });
    const campaign = freshCampaign();
    const account = freshAccount();
    // Campaign shares are per shard: 20 over 10 shards is 2 on the one shard Math.random picks.
    expect(await outcome(freshIp(), { action: 'sign', campaign })).toBe('accept');
    expect(await sourceOutcome({ action: 'sign', campaign, account })).toBe('accept');
    expect(await sourceOutcome({ action: 'sign', campaign, account })).toBe(429);
    expect(await rateItem('sign:campaign', campaign)).toMatchObject({ burstHits: 2 });
    expect(await rateItem('sign:account', account)).toMatchObject({ burstHits: 1 });
  });

  it('refuses an address of a blocked domain with 403, before it counts anywhere', async () => {
    sourceLimits({ RATE_LIMIT_SOURCE_BURST: '10/60' });
    await addBlock({ kind: 'email-domain', value: 'blocked-source.example', reason: 'test', by: 'test' });
    const account = freshAccount();
    const refused = await guardSourceSubmission({ action: 'sign', campaign: freshCampaign(), email: 'x@mail.blocked-source.example', account }).catch((error: unknown) => error);
    expect((refused as Problem).body).toMatchObject({ type: 'https://tadamon.org/problems/blocked', status: 403, detail: 'Submissions from here are not accepted.' });
    expect(await rateItem('sign:account', account)).toBeUndefined();
    await removeBlock('email-domain', 'blocked-source.example');
    expect(await sourceOutcome({ action: 'sign', campaign: freshCampaign(), email: 'x@mail.blocked-source.example', account })).toBe('accept');
  });
});
