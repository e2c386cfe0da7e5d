import * as z from 'zod';
import { parseIp, type IpAddress } from './ip-address.ts';
import { partnerId } from './partners.ts';

/**
 * Webhooks: a partner's (or the operator's own) system told of what happens in Tadamon, by a signed JSON POST
 * per event. Rules only, no I/O: the store keeps them, shared/webhooks/ signs and sends.
 */

/** The events a webhook may ask for, each a detail type Tadamon puts on its bus (events/). */
export const webhookEvents = ['SignatureConfirmed', 'EndorsementApproved', 'MilestoneReached', 'CampaignPublished', 'CampaignClosed'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/**
 * At most this many webhooks per installation. Each is an EventBridge rule on the stage's bus (300 rules a bus
 * by default, shared with the stack's own), a connection and an API destination; and every confirmed signature is
 * one delivery per webhook that asks for it, signed and recorded by one function (a table read, a write and a
 * PutEvents entry each): 20 keeps a surge of 2,000 confirmations a second within what that function and the
 * delivery partitions take, and is more partners than any coalition in the seeds has.
 */
export const maxWebhooks = 20;

/** A URL of at most 2 KB: EventBridge's InvocationEndpoint takes 2,048 characters. */
export const maxWebhookUrlLength = 2048;

export const webhookInputSchema = z
  .object({
    url: z.string('url is required.').min(1, 'url is required.').max(maxWebhookUrlLength, `url is at most ${maxWebhookUrlLength} characters.`),
    events: z
      .array(z.enum(webhookEvents, `events are among ${webhookEvents.join(', ')}.`), 'events is a list.')
      .min(1, 'events names at least one event.')
      .refine((events) => new Set(events).size === events.length, 'events names each event once.'),
    /** A partner organisation of the campaigns (shared/domain/partners.ts); absent: the operator's own system. */
    partner: partnerId.optional(),
  })
  .strict();
export type WebhookInput = z.infer<typeof webhookInputSchema>;

/** A webhook as operators see it: never its secret, which is shown once, when it is made. */
export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  partner?: string;
  createdAt: string;
  createdBy: string;
}

/**
 * Why a URL may not receive deliveries, or undefined when it may. On AWS: https only (EventBridge API
 * destinations call public https endpoints), no credentials in the URL (they would be stored and shown
 * with it; a receiver checks the signature instead), and no host that names this machine, a private network
 * or link-local addresses (the cloud's metadata service lives there): a webhook must not become a way to
 * reach what only the deployment can reach. Locally, http to the loopback host is also allowed, for tests
 * and a receiver on the same machine.
 */
export function webhookUrlProblem(text: string, onAws: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'url is not a URL.';
  }
  if (url.username || url.password) return 'url must not carry credentials; receivers check the Tadamon-Signature header instead.';
  if (url.hash) return 'url must not have a fragment.';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const loopbackHost = host === 'localhost' || host.endsWith('.localhost') || isLoopback(parseIp(host));
  if (!onAws && loopbackHost && (url.protocol === 'http:' || url.protocol === 'https:')) return undefined;
  if (url.protocol !== 'https:') return onAws ? 'url must be https.' : 'url must be https (or http to localhost on a local runtime).';
  if (loopbackHost) return 'url must not name this machine.';
  const ip = parseIp(host);
  if (ip && !isPublic(ip)) return 'url must not name a private, loopback or link-local address.';
  if (!ip && (!host.includes('.') || /\.(local|internal|lan|home\.arpa)$/.test(host))) return 'url must name a public host.';
  return undefined;
}

function isLoopback(ip: IpAddress | undefined): boolean {
  if (!ip) return false;
  if (ip.version === 4) return ip.bytes[0] === 127;
  return ip.bytes.every((byte, i) => byte === (i === 15 ? 1 : 0));
}

/** Public unicast only: not private, loopback, link-local, carrier-grade NAT, unique-local, unspecified or multicast. */
function isPublic(ip: IpAddress): boolean {
  const [a = 0, b = 0] = ip.bytes;
  if (ip.version === 4) {
    return !(a === 0 || a === 10 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168));
  }
  if (ip.bytes.every((byte) => byte === 0) || isLoopback(ip)) return false;
  // fc00::/7 unique-local, fe80::/10 link-local, ff00::/8 multicast.
  return !((a & 0xfe) === 0xfc || (a === 0xfe && (b & 0xc0) === 0x80) || a === 0xff);
}

/** What a delivery's state can be. On AWS a delivery handed to EventBridge is `sent`; only a dead letter tells more. */
export const deliveryStatuses = ['signing', 'sent', 'delivered', 'retrying', 'dead-lettered'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  /** The idempotency key (`Tadamon-Event-Id`): the same across retries and replays. */
  eventId: string;
  type: WebhookEvent;
  status: DeliveryStatus;
  attempts: number;
  statusCode?: number;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
  replays: number;
}
