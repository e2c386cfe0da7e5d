import { now } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { claimPaceSlots } from '#shared/store/send-pace-store.ts';

/**
 * One pace for the whole account: every mail Tadamon sends (confirmation links, operator notices, urgent calls,
 * digests), from however many concurrent senders, first claims a slot in the limits table, so the sum of all
 * sends never exceeds SES_RATE_PER_SECOND in any second.
 *
 * The invariant: time is cut into windows, each with `slots` slots at points `step` apart (slot k of a window is
 * sent k·step after its start), each slot is claimed once (send-pace-store.ts: one conditional update of the
 * window's item), a slot whose point has passed is never handed out, and a send leaves within `tolerance` after
 * its point or not at all (it claims another slot). Since `step` = (1 s + margin) / rate with the margin above the
 * tolerance, any `rate` + 1 sends span more than rate·step − tolerance > 1 s: no 1 s, wherever it starts, holds
 * more than `rate` sends as they leave.
 * The margin costs under 2 % of the rate (1.8 % at 14/s, 1.25 % at 50/s and above).
 *
 * Who goes first: a window's slots are offered to `first` mail (confirmation links, operator notices) before
 * bulk mail ever sees them. `first` mail may book a window up to `horizonWindows` ahead; bulk mail claims only in
 * the window under way. So while an urgent call to a million people keeps every window full, a confirmation link
 * that finds the current window taken books the next one and leaves within about one window; bulk mail gets what
 * confirmations leave, and waits entirely only while confirmations alone use the whole rate. No reserve is set
 * aside, so when no confirmation is waiting, bulk mail has the whole rate.
 */
export type MailPriority = 'first' | 'bulk';

export interface Pace {
  /** A window's length (ms) and its slots. */
  windowMs: number;
  slots: number;
  /** Between two slots' points. */
  step: number;
  /** How late after its point a send may still leave. */
  tolerance: number;
}

export function paceOf(ratePerSecond: number): Pace {
  // Below one a second: one slot per 1/rate seconds.
  const slots = ratePerSecond >= 1 ? Math.floor(ratePerSecond) : 1;
  const base = ratePerSecond >= 1 ? 1000 : Math.ceil(1000 / ratePerSecond);
  // A send may leave this late after its slot's point: a fifth of a step, never under 10 ms (timers and event loops
  // are no finer). The window's margin is a quarter more than that, so the bound holds whole.
  const tolerance = Math.max(base / slots / 5, 10);
  const windowMs = base + tolerance * 1.25;
  return { windowMs, slots, step: windowMs / slots, tolerance };
}

/** How far ahead first mail may book: 30 windows hold the 10 links a confirmation sender has in flight even at 1/s. */
export const horizonWindows = 30;

/** A claim's round trip, give or take: a slot sooner than this would be past by the time it is answered. */
const claimLeadMs = 50;

/**
 * Bulk mail's lead: the claim's round trip and the two reads and writes a bulk sender makes between its claim and its
 * send (the outreach's state, its delivery marked `sending`), so that it is not woken past its slot's tolerance and
 * made to claim again, leaving the slot unused. A longer lead costs no slot: bulk mail reaches into the next window.
 */
const bulkLeadMs = 250;

/** How far past its lead bulk mail claims: a batch's slots, and a margin, without booking ahead of first mail. */
const bulkReachMs = 300;

/**
 * How long before its slot a bulk sender makes its last check and write (the outreach still not cancelled, the
 * delivery marked `sending`): enough for both round trips, and no longer, since a delivery marked `sending` by a
 * sender that then dies is never sent (at most once). Under the bulk lead, so a slot claimed at once still has it.
 */
export const bulkWriteLeadMs = 150;

export class NoSendSlot extends Error {
  override name = 'NoSendSlot';
}

export interface SlotOptions {
  /** Give up (throw NoSendSlot) rather than wait past this time (epoch ms): the message comes again later. */
  deadline?: number;
  /** The rate, when not the configured one (the bench and tests). */
  ratePerSecond?: number;
}

/**
 * Waits for a slot under the account-wide pace and resolves at the slot's time (which it answers, in epoch ms);
 * the caller sends right away.
 */
export async function takeSendSlot(priority: MailPriority, options: SlotOptions = {}): Promise<number> {
  for (;;) {
    const slotAt = await claimSendSlot(priority, options);
    if (await waitForSlot(slotAt, options)) return slotAt;
  }
}

/**
 * Claims a slot and answers its time (epoch ms, now or later) without waiting for it: a caller with a write to
 * make before it sends (SendOutreach marks its delivery `sending`) makes it meanwhile, then waits with
 * `waitForSlot`, so the write's latency does not push the send off its slot.
 */
export async function claimSendSlot(priority: MailPriority, options: SlotOptions = {}): Promise<number> {
  const [slotAt] = await claimSendSlots(priority, 1, options);
  return slotAt!;
}

/**
 * Claims up to `wanted` slots in one write (fewer when the window under way has fewer left, at least one) and
 * answers their times, earliest first, as claimSendSlot answers one: a sender with a batch of mail ready pays one
 * round trip for the batch's slots, and the window's count is one contended item written once per batch.
 */
export async function claimSendSlots(priority: MailPriority, wanted: number, options: SlotOptions = {}): Promise<number[]> {
  const pace = paceOf(options.ratePerSecond ?? config().SES_RATE_PER_SECOND);
  const { windowMs, step } = pace;
  for (;;) {
    const at = now().getTime();
    const current = Math.floor(at / windowMs);
    const last = priority === 'first' ? current + horizonWindows : Math.floor((at + bulkLeadMs + bulkReachMs) / windowMs);
    for (let window = current; window <= last; window++) {
      // Read again for each window, as claims take time.
      const { from, upTo } = reach(priority, pace, window, now().getTime());
      if (from >= upTo) continue;
      const range = await claimPaceSlots(window, windowMs, upTo, from, Math.max(1, wanted));
      if (range) return Array.from({ length: range.count }, (_, i) => window * windowMs + (range.first + i) * step);
    }
    const next = (current + 1) * windowMs;
    if (priority === 'first' || (options.deadline !== undefined && next > options.deadline)) {
      throw new NoSendSlot(`no send slot within ${last - current + 1} window(s) of ${windowMs} ms`);
    }
    // Bulk senders wake spread over a slot's step (at most half the reach), not all at the same instant: when the
    // window under way is over, or half the reach later, when more of the next one has come within reach.
    await sleep(Math.min(next - now().getTime(), bulkReachMs / 2) + Math.random() * Math.min(step, bulkReachMs / 2));
  }
}

/**
 * The slots of `window` a claim made at `at` may take: from the first whose point is still to come once the claim
 * is answered, up to `upTo` (excluded). First mail may book any slot of its horizon. Bulk mail takes only slots
 * within `bulkReachMs` past its lead: those of the window under way and, near its end, the first of the next, which
 * a sender claiming only in the window under way could never reach (a lead's worth of slots would pass unused at the
 * start of every window); the rest of each window stays first mail's to book ahead.
 */
function reach(priority: MailPriority, { windowMs, slots, step }: Pace, window: number, at: number): { from: number; upTo: number } {
  const start = window * windowMs;
  const lead = priority === 'first' ? claimLeadMs : bulkLeadMs;
  const from = Math.max(0, Math.ceil((at + lead - start) / step));
  const upTo = priority === 'first' ? slots : Math.min(slots, Math.floor((at + lead + bulkReachMs - start) / step) + 1);
  return { from, upTo };
}

/** Waits until `leadMs` before a claimed slot's time (at once if that has passed), for the writes made just before it. */
export async function waitUntilBefore(slotAt: number, leadMs: number): Promise<void> {
  const due = performance.now() + (slotAt - leadMs - now().getTime());
  for (let left = due - performance.now(); left > 0; left = due - performance.now()) await sleep(left);
}

/**
 * Waits for a claimed slot's time. Answers false when this process woke too late to send within the slot's
 * tolerance (a busy event loop, a slow write before it): the slot is given up, and the caller claims another.
 */
export async function waitForSlot(slotAt: number, options: Pick<SlotOptions, 'ratePerSecond'> = {}): Promise<boolean> {
  const { tolerance } = paceOf(options.ratePerSecond ?? config().SES_RATE_PER_SECOND);
  // Waited on the monotonic clock, which timers keep to (a timer may fire a millisecond before the wall clock says
  // it is due), and which tests that freeze the wall clock leave running.
  const due = performance.now() + (slotAt - now().getTime());
  for (let left = due - performance.now(); left > 0; left = due - performance.now()) await sleep(left);
  return performance.now() - due <= tolerance;
}

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, Math.ceil(ms))) : Promise.resolve());
