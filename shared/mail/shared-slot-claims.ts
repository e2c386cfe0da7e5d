import { claimSendSlots, type MailPriority, type SlotOptions } from './send-pace.ts';

interface Waiter {
  resolve: (slotAt: number) => void;
  reject: (error: unknown) => void;
}

export type ClaimSlots = (priority: MailPriority, wanted: number, options: SlotOptions) => Promise<number[]>;

/**
 * The slots of one container's senders, claimed together: a send that asks while a claim is under way waits for
 * the next claim, which asks for every send waiting then. A batch of ten deliveries that get ready within one round
 * trip of each other so takes its slots in two writes rather than ten, and the window's count (one item, which every
 * sender of the account writes) sees a tenth of the writes.
 *
 * The invariant: each ask is answered once, with one slot time of one claim, and no slot time is given twice; a
 * claim answers as many asks as it got slots for, oldest first, and the others stay first in line for the next. A
 * claim that fails fails the asks it was made for, as claimSendSlot would have failed each.
 */
export function sharedSlotClaims(priority: MailPriority, options: SlotOptions = {}, claim: ClaimSlots = claimSendSlots): () => Promise<number> {
  const line: Waiter[] = [];
  let claiming = false;

  const claimForLine = async (): Promise<void> => {
    claiming = true;
    try {
      while (line.length > 0) await serve(line.splice(0, line.length));
    } finally {
      claiming = false;
    }
  };

  const serve = async (asks: Waiter[]): Promise<void> => {
    let times: number[];
    try {
      times = await claim(priority, asks.length, options);
    } catch (error) {
      for (const ask of asks) ask.reject(error);
      return;
    }
    // A claim answers at least one slot or fails; an empty answer would leave the line waiting for ever.
    if (times.length === 0) {
      for (const ask of asks) ask.reject(new Error('a slot claim answered no slot'));
      return;
    }
    const served = Math.min(times.length, asks.length);
    for (let i = 0; i < served; i++) asks[i]!.resolve(times[i]!);
    line.unshift(...asks.slice(served));
  };

  return () =>
    new Promise<number>((resolve, reject) => {
      line.push({ resolve, reject });
      if (!claiming) void claimForLine();
    });
}
