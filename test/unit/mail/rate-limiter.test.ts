import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '#shared/mail/rate-limiter.ts';

// The sender's pacing on a fake clock: when each send may go, to the millisecond.
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

/** Starts `n` takes at once; resolves with the millisecond (from now) at which each was let through. */
async function sendTimes(limiter: RateLimiter, n: number): Promise<number[]> {
  const start = Date.now();
  const times: number[] = [];
  const all = Promise.all(Array.from({ length: n }, () => limiter.take().then(() => times.push(Date.now() - start))));
  await vi.runAllTimersAsync();
  await all;
  return times;
}

/** Whether a take resolves without any timer running: microtasks only. */
async function goesAtOnce(limiter: RateLimiter): Promise<boolean> {
  let gone = false;
  void limiter.take().then(() => (gone = true));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return gone;
}

describe('the sender’s pacing', () => {
  it('spaces sends evenly, one interval apart, so no second holds more than the cap', async () => {
    expect(await sendTimes(new RateLimiter(4), 6)).toEqual([0, 250, 500, 750, 1000, 1250]);
    expect(await sendTimes(new RateLimiter(8), 3)).toEqual([0, 125, 250]);
  });

  it('lets the first send of an idle sender go at once, without waiting for a timer', async () => {
    expect(await goesAtOnce(new RateLimiter(4))).toBe(true);
  });

  it('lets a send go at once when the interval has just passed, and makes one that comes early wait out the rest', async () => {
    const limiter = new RateLimiter(4);
    await limiter.take();
    vi.setSystemTime(Date.now() + 250);
    expect(await goesAtOnce(limiter)).toBe(true);
    vi.setSystemTime(Date.now() + 100);
    expect(await sendTimes(limiter, 1)).toEqual([150]);
  });

  it('holds back a send that comes early until its turn', async () => {
    const limiter = new RateLimiter(4);
    await limiter.take();
    expect(await goesAtOnce(limiter)).toBe(false);
  });

  it('saves up no credit while idle: after a pause the sends are spaced again', async () => {
    const limiter = new RateLimiter(4);
    await limiter.take();
    vi.setSystemTime(Date.now() + 10_000);
    expect(await sendTimes(limiter, 3)).toEqual([0, 250, 500]);
  });
});
