import { now } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { claimPaceSlot } from '#shared/store/send-pace-store.ts';

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
  const { windowMs, slots, step } = paceOf(options.ratePerSecond ?? config().SES_RATE_PER_SECOND);
  for (;;) {
    const current = Math.floor(now().getTime() / windowMs);
    const ahead = priority === 'first' ? horizonWindows : 0;
    for (let w = current; w <= current + ahead; w++) {
      // Only slots still to come once the claim is answered: in the window under way, those after now and the
      // claim's round trip (read again, as claims take time).
      const from = Math.max(0, Math.ceil((now().getTime() + claimLeadMs - w * windowMs) / step));
      if (from >= slots) continue;
      const slot = await claimPaceSlot(w, windowMs, slots, from);
      if (slot !== undefined) return w * windowMs + slot * step;
    }
    const next = (current + 1) * windowMs;
    if (priority === 'first' || (options.deadline !== undefined && next > options.deadline)) {
      throw new NoSendSlot(`no send slot within ${ahead + 1} window(s) of ${windowMs} ms`);
    }
    // Bulk senders wake spread over the first slot's step, not all at the same instant.
    await sleep(next - now().getTime() + Math.random() * step);
  }
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
