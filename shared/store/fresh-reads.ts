interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * One read for many callers, never a stale one: callers that ask for the same key while its read is under way wait
 * for the next read, which begins when that one ends and answers all of them. So SendOutreach's deliveries of one
 * container ask whether their outreach was cancelled once per round trip, not once per mail, and each still hears an
 * answer read after it asked (a cancellation stops every send that asks after it).
 *
 * The invariant: every caller gets the outcome (value or failure) of exactly one read of its key that began after it
 * called; at most one read per key is under way at a time; a key with no caller left holds nothing.
 */
export function freshReads<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const lanes = new Map<string, Waiter<T>[]>();

  const readFor = async (key: string, waiting: Waiter<T>[]): Promise<void> => {
    try {
      while (waiting.length > 0) {
        const asked = waiting.splice(0, waiting.length);
        try {
          const value = await read(key);
          for (const caller of asked) caller.resolve(value);
        } catch (error) {
          for (const caller of asked) caller.reject(error);
        }
      }
    } finally {
      lanes.delete(key);
    }
  };

  return (key) =>
    new Promise<T>((resolve, reject) => {
      const waiting = lanes.get(key);
      if (waiting) {
        waiting.push({ resolve, reject });
        return;
      }
      const lane = [{ resolve, reject }];
      lanes.set(key, lane);
      void readFor(key, lane);
    });
}
