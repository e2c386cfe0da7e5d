import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { rateLimitSubject } from '#shared/domain/ip-address.ts';
import { Problem } from '#shared/http/problem.ts';
import { hmac } from '#shared/ids.ts';
import { logger } from '#shared/observability.ts';

// Which counters the guard asks the limiter for, and what it answers: the limiter and the blocklist are
// stand-ins here; test/integration/guard.test.ts runs the guard against DynamoDB Local.
type Windows = { name: string; limit: number; seconds: number }[];
const limiter = vi.hoisted(() => ({
  refuse: new Map<string, number>(),
  hits: [] as { scope: string; subject: string; windows: Windows; shards: number }[],
  released: [] as string[],
  releaseFails: false,
}));
const blocked = vi.hoisted(() => ({ value: false, asked: [] as unknown[] }));
vi.mock('#shared/store/rate-limit-store.ts', () => ({
  admit: (scope: string, subject: string, windows: Windows, shards: number) => {
    limiter.hits.push({ scope, subject, windows, shards });
    const retryAfterSeconds = limiter.refuse.get(scope);
    return Promise.resolve(
      retryAfterSeconds === undefined
        ? { allowed: true, release: () => (limiter.releaseFails ? Promise.reject(new Error('throttled')) : Promise.resolve(void limiter.released.push(scope))) }
        : { allowed: false, retryAfterSeconds },
    );
  },
}));
vi.mock('#shared/store/blocklist-store.ts', () => ({
  isBlocked: (submission: unknown) => {
    blocked.asked.push(submission);
    return Promise.resolve(blocked.value);
  },
}));
const { guardSubmission } = await import('#shared/abuse/guard.ts');

const from = (sourceIp: string) => ({ requestContext: { http: { sourceIp } } }) as unknown as APIGatewayProxyEventV2;

async function refusal(run: Promise<unknown>): Promise<Problem> {
  try {
    await run;
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('expected a Problem');
}

beforeEach(() => {
  limiter.refuse.clear();
  limiter.hits.length = 0;
  limiter.released.length = 0;
  limiter.releaseFails = false;
  blocked.value = false;
  blocked.asked.length = 0;
  vi.stubEnv('TOKEN_SECRET', 'unit-test-secret-of-some-length');
  vi.stubEnv('RATE_LIMIT_IP_BURST', '20/10');
  vi.stubEnv('RATE_LIMIT_IP_SUSTAINED', '500/3600');
  vi.stubEnv('RATE_LIMIT_CAMPAIGN_BURST', '5000/10');
  vi.stubEnv('RATE_LIMIT_CAMPAIGN_SUSTAINED', '5000000/3600');
  resetConfig();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetConfig();
});

describe('the counters a submission spends', () => {
  it('are per action, burst and sustained, per IP (an HMAC of it, never the address) and per campaign (sharded)', async () => {
    expect(await guardSubmission(from('198.51.100.7'), { action: 'endorse', campaign: 'free-them', email: 'a@example.org' })).toBe('accept');
    const ipKey = hmac('ip', '198.51.100.7').slice(0, 22);
    // One subject, one item, both its windows.
    expect(limiter.hits).toEqual([
      { scope: 'endorse:ip', subject: ipKey, windows: [{ name: 'burst', limit: 20, seconds: 10 }, { name: 'sustained', limit: 500, seconds: 3600 }], shards: 1 },
      { scope: 'endorse:campaign', subject: 'free-them', windows: [{ name: 'burst', limit: 5000, seconds: 10 }, { name: 'sustained', limit: 5000000, seconds: 3600 }], shards: 10 },
    ]);
    expect(limiter.released).toEqual([]);
    expect(JSON.stringify(limiter.hits)).not.toContain('198.51.100.7');
  });

  it('count an IPv6 subscriber line, its /64, as one', async () => {
    await guardSubmission(from('2001:db8:1:2::1'), { action: 'subscribe' });
    await guardSubmission(from('2001:db8:1:2:ffff::9'), { action: 'subscribe' });
    const subjects = limiter.hits.map((hit) => hit.subject);
    expect(new Set(subjects)).toEqual(new Set([hmac('ip', rateLimitSubject('2001:db8:1:2::1')).slice(0, 22)]));
    expect(limiter.hits.map((hit) => hit.scope)).toEqual(['subscribe:ip', 'subscribe:ip']);
  });

  it('read a limit written with spaces around it', async () => {
    vi.stubEnv('RATE_LIMIT_IP_BURST', ' 3/60 ');
    vi.stubEnv('RATE_LIMIT_IP_SUSTAINED', 'off');
    resetConfig();
    await guardSubmission(from('198.51.100.7'), { action: 'sign' });
    expect(limiter.hits).toEqual([{ scope: 'sign:ip', subject: expect.any(String) as unknown, windows: [{ name: 'burst', limit: 3, seconds: 60 }], shards: 1 }]);
  });

  it('ask nothing of a subject whose rules are all off', async () => {
    vi.stubEnv('RATE_LIMIT_IP_BURST', '0');
    vi.stubEnv('RATE_LIMIT_IP_SUSTAINED', 'off');
    vi.stubEnv('RATE_LIMIT_CAMPAIGN_BURST', 'off');
    resetConfig();
    await guardSubmission(from('198.51.100.7'), { action: 'sign', campaign: 'free-them' });
    expect(limiter.hits).toEqual([{ scope: 'sign:campaign', subject: 'free-them', windows: [{ name: 'sustained', limit: 5000000, seconds: 3600 }], shards: 10 }]);
  });
});

describe('what a refused submission is told', () => {
  it('a rate limit: 429 with Retry-After, logged with the rule and campaign that refused it; the subject that admitted it gives its place back', async () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    limiter.refuse.set('sign:campaign', 17);
    const problem = await refusal(guardSubmission(from('198.51.100.7'), { action: 'sign', campaign: 'free-them' }));
    expect(problem.status).toBe(429);
    expect(problem.headers).toEqual({ 'Retry-After': '17' });
    expect(problem.body).toMatchObject({ type: 'https://tadamon.org/problems/rate-limited', detail: 'Too many requests. Please wait a moment and try again.' });
    expect(warn).toHaveBeenCalledWith('rate limited', { rules: ['sign:campaign'], campaign: 'free-them' });
    expect(limiter.released).toEqual(['sign:ip']);
  });

  it('still answers 429 when giving the place back fails, and logs it', async () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    limiter.refuse.set('sign:campaign', 5);
    limiter.releaseFails = true;
    expect((await refusal(guardSubmission(from('198.51.100.7'), { action: 'sign', campaign: 'free-them' }))).status).toBe(429);
    expect(warn).toHaveBeenCalledWith('rate limit not given back', { error: new Error('throttled') });
  });

  it('refused by several subjects: the longest wait, at least a second, and nothing to give back', async () => {
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    limiter.refuse.set('sign:ip', 0);
    expect((await refusal(guardSubmission(from('198.51.100.7'), { action: 'sign' }))).headers).toEqual({ 'Retry-After': '1' });
    limiter.refuse.set('sign:campaign', 40);
    limiter.refuse.set('sign:ip', 3);
    expect((await refusal(guardSubmission(from('198.51.100.7'), { action: 'sign', campaign: 'free-them' }))).headers).toEqual({ 'Retry-After': '40' });
    expect(limiter.released).toEqual([]);
  });

  it('a block: 403, asked with the address and the email domain', async () => {
    blocked.value = true;
    const problem = await refusal(guardSubmission(from('203.0.113.9'), { action: 'sign', campaign: 'free-them', email: 'someone@mail.evil.example' }));
    expect(blocked.asked).toEqual([{ ip: '203.0.113.9', emailDomain: 'mail.evil.example' }]);
    expect(problem.status).toBe(403);
    expect(problem.body).toMatchObject({
      type: 'https://tadamon.org/problems/blocked',
      detail: 'Submissions from here are not accepted. If you think this is a mistake, contact the campaign.',
    });
    expect(limiter.hits).toEqual([]);
  });

  it('a failed captcha: 400 naming the field, before any limit is spent', async () => {
    vi.stubEnv('CAPTCHA_PROVIDER', 'turnstile');
    vi.stubEnv('CAPTCHA_SECRET', 'secret');
    resetConfig();
    const problem = await refusal(guardSubmission(from('203.0.113.9'), { action: 'sign' }));
    expect(problem.status).toBe(400);
    expect(problem.body).toMatchObject({
      type: 'https://tadamon.org/problems/captcha',
      detail: 'The anti-robot check did not pass. Please try again.',
      errors: [{ path: 'captchaToken', message: 'Captcha verification failed.' }],
    });
    expect(limiter.hits).toEqual([]);
  });
});
