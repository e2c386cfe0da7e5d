import type { MiddlewareObj } from '@middy/core';
import { secretsRead } from '#shared/config.ts';

/**
 * The function's secrets, read before its first invocation runs and kept for the container's life
 * (shared/config.ts): every trigger's wrapper uses it, so no handler can run without them.
 */
export function secretsFirst<E, R>(): MiddlewareObj<E, R> {
  return {
    before: async () => {
      await secretsRead();
    },
  };
}
