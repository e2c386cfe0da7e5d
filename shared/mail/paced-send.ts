import { sendMail, type OutgoingMail } from './mailer.ts';
import { classifySendError, describeSendError } from './send-errors.ts';
import { takeSendSlot, type MailPriority, type SlotOptions } from './send-pace.ts';

export type PacedOutcome = { sent: true } | { sent: false; kind: 'permanent' | 'throttled' | 'transient'; error: string };

/** Throttled sends are tried again in the same invocation this many times, each after a backoff and a new slot. */
const throttledAttempts = 3;

/**
 * Sends one mail under the account-wide pace (send-pace.ts). A throttled send is tried again a few times after a
 * short backoff, each time in a slot of its own; what still fails is answered, not thrown, so the caller records
 * a permanent failure and hands anything else back to its queue, which delivers it again after the visibility
 * timeout (a longer backoff) and dead-letters it after its maximum receives.
 */
export async function sendPaced(mail: OutgoingMail, priority: MailPriority, options: SlotOptions = {}): Promise<PacedOutcome> {
  for (let attempt = 1; ; attempt++) {
    await takeSendSlot(priority, options);
    try {
      await sendMail(mail);
      return { sent: true };
    } catch (error) {
      const kind = classifySendError(error);
      if (kind !== 'throttled' || attempt >= throttledAttempts) return { sent: false, kind, error: describeSendError(error) };
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}
