import * as z from 'zod';

/**
 * What the stream's router puts on the mail queues: keys and ids only, never an address or a name. The senders
 * read the item as it stands (the request may have been replaced, confirmed or erased since), so a queue, its
 * dead-letter queue and their redrives hold no personal data.
 */
const itemKey = z.object({ pk: z.string().min(1).max(1024), sk: z.string().min(1).max(1024) });

/**
 * confirmation-mail: an item waits for the link of the request `requestId`; `generation` names the item it was
 * made for (an item made again at the same key, after an expiry or an erasure, is not that request's).
 */
export const linkMailMessage = z.object({ key: itemKey, requestId: z.string().min(1).max(128), generation: z.string().min(1).max(128).optional() });
export type LinkMailMessage = z.infer<typeof linkMailMessage>;

/** bulk-mail: one recipient's delivery of an urgent call or digest. */
export const deliveryMailMessage = z.object({ outreachId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), emailKey: z.string().min(1).max(256) });
export type DeliveryMailMessage = z.infer<typeof deliveryMailMessage>;
