import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimSendSlots, paceOf } from '#shared/mail/send-pace.ts';
import { sharedSlotClaims } from '#shared/mail/shared-slot-claims.ts';
import { limitKeys } from '#shared/store/layout.ts';
import { claimPaceSlots } from '#shared/store/send-pace-store.ts';
import { db, limitsTableName } from '#shared/store/table.ts';
import { mostInAnyWindow } from '#test/support/send-windows.ts';
import { useTestTable } from '#test/support/test-table.ts';

const slotsOf = (range: { first: number; count: number } | undefined) => (range ? Array.from({ length: range.count }, (_, i) => range.first + i) : []);

describe('sending slots claimed a batch at a time', () => {
  let windows = 2_000_000;
  /** A window number no other test uses. */
  const fresh = () => ++windows;
  const stored = async (windowMs: number, window: number) =>
    (await db().send(new GetCommand({ TableName: limitsTableName(), Key: limitKeys.sendPace(windowMs, window), ConsistentRead: true }))).Item;

  beforeAll(async () => {
    await useTestTable('send-pace-batches');
  });

  it('hands out each slot of a window once and never more than the window holds, whatever sizes claim at once', async () => {
    const window = fresh();
    const wanted = Array.from({ length: 24 }, (_, i) => 1 + (i % 7));
    const ranges = await Promise.all(wanted.map((n) => claimPaceSlots(window, 1000, 40, 3, n)));
    const given = ranges.flatMap(slotsOf).sort((a, b) => a - b);
    // 3 to 39: every slot from `from` on, each once; the claims asked for 96 in all.
    expect(given).toEqual(Array.from({ length: 37 }, (_, i) => 3 + i));
    for (const [i, range] of ranges.entries()) if (range) expect(range.count).toBeLessThanOrEqual(wanted[i]!);
    expect(await stored(1000, window)).toMatchObject({ sent: 40 });
    expect(await claimPaceSlots(window, 1000, 40, 3, 5)).toBeUndefined();
  });

  it('takes what is left of a nearly full window, skips the slots already past, and stops at the cap it is given', async () => {
    const window = fresh();
    expect(await claimPaceSlots(window, 1000, 10, 0, 4)).toEqual({ first: 0, count: 4 });
    // Behind the clock: the count moves up to slot 6 in the same claim, and 6 to 9 are all that is left.
    expect(await claimPaceSlots(window, 1000, 10, 6, 8)).toEqual({ first: 6, count: 4 });
    expect(await stored(1000, window)).toMatchObject({ sent: 10 });
    expect(await claimPaceSlots(window, 1000, 10, 0, 1)).toBeUndefined();

    // A claim capped below the window's slots (bulk mail's reach) takes none past its cap; a later one goes on from there.
    const next = fresh();
    expect(await claimPaceSlots(next, 1000, 3, 0, 10)).toEqual({ first: 0, count: 3 });
    expect(await claimPaceSlots(next, 1000, 3, 0, 1)).toBeUndefined();
    expect(await claimPaceSlots(next, 1000, 10, 0, 2)).toEqual({ first: 3, count: 2 });
    expect(await claimPaceSlots(next, 1000, 10, 0, 0)).toBeUndefined();
  });

  it('never puts more than the rate in any second when senders claim their batches together', async () => {
    const rate = 20;
    // Four containers, each with its own shared claims, fifteen sends each.
    const containers = Array.from({ length: 4 }, () => sharedSlotClaims('bulk', { ratePerSecond: rate }));
    const slots = await Promise.all(containers.flatMap((take) => Array.from({ length: 15 }, () => take())));
    expect(new Set(slots).size).toBe(60);
    expect(mostInAnyWindow(slots, 1000)).toBeLessThanOrEqual(rate);
  });

  it('sends bulk mail at one a second too, where a window has a single slot, at its start', async () => {
    // At 1/s a window's one slot is at its very start: a sender claiming only in the window under way never got it.
    const asked = Date.now();
    const [slotAt] = await claimSendSlots('bulk', 1, { ratePerSecond: 1 });
    const { windowMs } = paceOf(1);
    expect(slotAt! % windowMs).toBe(0);
    expect(slotAt!).toBeGreaterThan(asked);
  });

  it('lets bulk mail claim the first slots of the next window, which it could not reach from within the window under way', async () => {
    const rate = 20;
    const { windowMs, step } = paceOf(rate);
    const first = Math.floor(Date.now() / windowMs) + 1;
    const slots: number[] = [];
    // Bulk demand for three windows: each claim asks for a batch, as a sender with ten deliveries would.
    while (slots.length < 3 * rate) slots.push(...(await claimSendSlots('bulk', 10, { ratePerSecond: rate })));
    const firstOfLaterWindows = slots.filter((at) => at >= first * windowMs && Math.round((at % windowMs) / step) === 0);
    expect(firstOfLaterWindows.length).toBeGreaterThan(0);
    expect(mostInAnyWindow(slots, 1000)).toBeLessThanOrEqual(rate);
  });
});
