/**
 * Fault injection for the local stream poller, to prove consumers exact under what Lambda's event source
 * mapping really does. Each rate is a probability per batch delivery, from 0 (off, the default) to 1.
 */
export interface StreamFaults {
  /** The invocation fails before the handler runs (a throttle or init error): retried, bisected. */
  failBefore: number;
  /** The handler runs, then the invocation counts as failed (a timeout or crash after work): redelivered. */
  failAfter: number;
  /** A batch that succeeded is delivered again (a lost checkpoint, a restart mid-batch). */
  duplicate: number;
}

export const noFaults: StreamFaults = { failBefore: 0, failAfter: 0, duplicate: 0 };

export function faultsFromEnv(env: NodeJS.ProcessEnv): StreamFaults {
  const rate = rateFrom(env);
  return {
    failBefore: rate('STREAM_FAULT_FAIL_BEFORE'),
    failAfter: rate('STREAM_FAULT_FAIL_AFTER'),
    duplicate: rate('STREAM_FAULT_DUPLICATE'),
  };
}

/** The same faults for queue deliveries (infra/local/queue-poller.ts): a failed batch comes back after its visibility timeout. */
export function queueFaultsFromEnv(env: NodeJS.ProcessEnv): StreamFaults {
  const rate = rateFrom(env);
  return {
    failBefore: rate('QUEUE_FAULT_FAIL_BEFORE'),
    failAfter: rate('QUEUE_FAULT_FAIL_AFTER'),
    duplicate: rate('QUEUE_FAULT_DUPLICATE'),
  };
}

function rateFrom(env: NodeJS.ProcessEnv): (name: string) => number {
  return (name) => {
    const value = Number(env[name] ?? 0);
    if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name} must be a number from 0 to 1`);
    return value;
  };
}
