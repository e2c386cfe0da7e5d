import { limitKeys } from './layout.ts';
import { claimPaceSlot } from './send-pace-store.ts';

/**
 * Each connector's request rate, shared by every concurrent invocation: the sending pace's own slots
 * (send-pace-store.ts), one item per connector and second in the limits table. A second never hands out more than
 * `perSecond` requests, however many senders claim at once.
 */

/** Claims a request in second `second` (since the epoch): false when that second's requests are all taken. */
export async function claimConnectorRequest(connector: string, second: number, perSecond: number): Promise<boolean> {
  return (await claimPaceSlot(second, 1000, perSecond, 0, limitKeys.connectorPace(connector, second))) !== undefined;
}
