import { beforeAll, describe, expect, it } from 'vitest';
import { horizonWindows, paceOf, takeSendSlot } from '#shared/mail/send-pace.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { limitKeys } from '#shared/store/layout.ts';
import { claimPaceSlot } from '#shared/store/send-pace-store.ts';
import { db, limitsTableName } from '#shared/store/table.ts';
import { mostInAnyWindow } from '#test/support/send-windows.ts';
import { useTestTable } from '#test/support/test-table.ts';

describe('the account-wide sending pace', () => {
  beforeAll(async () => {
    await useTestTable('send-pace');
  });

  it('has the SES rate as slots a window of a second and a margin, one slot per 1/rate seconds below one a second', () => {
    expect(paceOf(14)).toMatchObject({ slots: 14, windowMs: 1000 + 1000 / 14 / 4 });
    expect(paceOf(14.9).slots).toBe(14);
    expect(paceOf(1)).toMatchObject({ slots: 1, windowMs: 1250, tolerance: 200 });
    expect(paceOf(0.5)).toMatchObject({ slots: 1, windowMs: 2500 });
    // rate + 1 sends, each at most `tolerance` late, always span a full second.
    for (const rate of [1, 14, 50, 1000]) {
      const { step, tolerance } = paceOf(rate);
      expect(rate * step - tolerance).toBeGreaterThan(1000);
    }
  });

  it('hands out each slot of a window once, however many claim it at once, and none whose time has passed', async () => {
    const window = Math.floor(Date.now() / 1000) + 3600;
    const claims = await Promise.all(Array.from({ length: 30 }, () => claimPaceSlot(window, 1000, 10, 0)));
    expect(claims.filter((slot) => slot !== undefined).sort((a, b) => a! - b!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(claims.filter((slot) => slot === undefined)).toHaveLength(20);

    // A window nobody claimed in for a while: the slots already past are skipped, never handed out late.
    const later = window + 1;
    expect(await claimPaceSlot(later, 1000, 10, 0)).toBe(0);
    expect(await claimPaceSlot(later, 1000, 10, 6)).toBe(6);
    expect(await claimPaceSlot(later, 1000, 10, 6)).toBe(7);
    expect(await claimPaceSlot(later, 1000, 10, 10)).toBeUndefined();
  });

  it('never puts more than the rate in any second, whatever the number of concurrent senders', async () => {
    const rate = 20;
    const asked = Date.now();
    const results = await Promise.all(
      Array.from({ length: 70 }, async (_, i) => {
        const slotAt = await takeSendSlot(i % 3 === 0 ? 'first' : 'bulk', { ratePerSecond: rate });
        return { slotAt, sentAt: Date.now() };
      }),
    );
    const slots = results.map((r) => r.slotAt);
    expect(new Set(slots).size).toBe(70);
    expect(mostInAnyWindow(slots, 1000)).toBeLessThanOrEqual(rate);
    // Each sender waits for its slot's time, starts no sooner, and no later than the slot's tolerance (or it would
    // have claimed another). It waits on the monotonic clock, which the wall clock read here may trail by a
    // millisecond while it is being slewed: the pace's margin (a quarter of the tolerance, at least 2.5 ms) covers it.
    for (const { slotAt, sentAt } of results) expect(sentAt).toBeGreaterThanOrEqual(Math.floor(slotAt) - 1);
    expect(mostInAnyWindow(results.map((r) => r.sentAt), 1000)).toBeLessThanOrEqual(rate);
    // No slot is earlier than the second it was asked in (how much of the rate is used is the bench's to measure).
    expect(Math.min(...slots)).toBeGreaterThanOrEqual(asked - paceOf(rate).windowMs);
  });

  it('lets a confirmation link go within about one window while bulk mail keeps every window full', async () => {
    const rate = 10;
    const stop = Date.now() + 3_000;
    const bulkSender = async () => {
      const waits: number[] = [];
      while (Date.now() < stop) {
        const asked = Date.now();
        waits.push((await takeSendSlot('bulk', { ratePerSecond: rate })) - asked);
      }
      return waits;
    };
    const bulk = Promise.all(Array.from({ length: 30 }, bulkSender));
    // Confirmations arrive while 30 bulk senders compete for 10 slots a second.
    const links: number[] = [];
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const asked = Date.now();
      links.push((await takeSendSlot('first', { ratePerSecond: rate })) - asked);
    }
    const bulkWaits = (await bulk).flat();
    // A link books the next window when this one is full: it waits about a window (plus the claims' own round
    // trips, long on a busy machine), while bulk senders, three for every slot, wait longer than any link.
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    expect(median(links)).toBeLessThan(paceOf(rate).windowMs + 500);
    expect(Math.max(...links)).toBeLessThan(median(bulkWaits));
  });

  it('gives up on first mail only past its booking horizon, so the message comes again later', async () => {
    const rate = 1;
    // Fill every window of the horizon, as confirmations alone would at a sandbox's 1/s.
    const { windowMs } = paceOf(rate);
    const current = Math.floor(Date.now() / windowMs);
    for (let w = current; w <= current + horizonWindows + 1; w++) await claimPaceSlot(w, windowMs, 1, 0);
    await expect(takeSendSlot('first', { ratePerSecond: rate })).rejects.toThrow(/no send slot/);
  });

  describe("one window's item", () => {
    let windows = 1_000_000;
    /** A window number no other test uses. */
    const fresh = () => ++windows;
    const stored = async (windowMs: number, window: number) =>
      (await db().send(new GetCommand({ TableName: limitsTableName(), Key: limitKeys.sendPace(windowMs, window), ConsistentRead: true }))).Item;

    it('hands out its slots in order, then none, and expires an hour after the window ends', async () => {
      const window = fresh();
      const claims = [];
      for (let i = 0; i < 4; i++) claims.push(await claimPaceSlot(window, 1250, 3, 0));
      expect(claims).toEqual([0, 1, 2, undefined]);
      expect(await stored(1250, window)).toMatchObject({ sent: 3, expiresAt: Math.ceil(((window + 1) * 1250) / 1000) + 3600 });
      // Another length is another item: a changed rate never counts in the old one.
      expect(await claimPaceSlot(window, 1000, 3, 0)).toBe(0);
    });

    it('never hands out a slot whose time has passed: a count behind the clock moves up to it first', async () => {
      const window = fresh();
      expect(await claimPaceSlot(window, 1000, 10, 4)).toBe(4);
      expect(await claimPaceSlot(window, 1000, 10, 2)).toBe(5);
      expect(await claimPaceSlot(window, 1000, 10, 8)).toBe(8);
      expect(await stored(1000, window)).toMatchObject({ sent: 9 });
      expect(await claimPaceSlot(window, 1000, 10, 9)).toBe(9);
      expect(await claimPaceSlot(window, 1000, 10, 9)).toBeUndefined();
    });

    it('gives nothing from a window whose slots have all passed, and reads a negative start as the first slot', async () => {
      const window = fresh();
      expect(await claimPaceSlot(window, 1000, 5, 5)).toBeUndefined();
      expect(await claimPaceSlot(window, 1000, 5, 7)).toBeUndefined();
      expect(await stored(1000, window)).toBeUndefined();
      expect(await claimPaceSlot(window, 1000, 5, -3)).toBe(0);
    });
  });
});
