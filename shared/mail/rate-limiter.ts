/**
 * Paces sends to at most `perSecond`, evenly (no bursts above the cap within any second). One instance per
 * process: on AWS the sender runs with reserved concurrency 1 so the process is the whole sender.
 */
export class RateLimiter {
  private next = 0;

  constructor(private readonly perSecond: number) {}

  async take(): Promise<void> {
    const interval = 1000 / this.perSecond;
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + interval;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}
