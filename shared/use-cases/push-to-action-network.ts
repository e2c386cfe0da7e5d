import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SignatureConfirmed } from '#events/signature-confirmed.ts';
import { config } from '#shared/config.ts';
import { classify, classifyError, errorText, recordSignatureRequest, type Outcome } from '#shared/connectors/action-network.ts';
import { readConnectorKey } from '#shared/connectors/connector-keys.ts';
import { findPartner } from '#shared/domain/partners.ts';
import { logger, metrics } from '#shared/observability.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { cachedFor } from '#shared/mail/short-cache.ts';
import { claimConnectorRequest } from '#shared/store/connector-pace-store.ts';
import { claimDelivery, finishDelivery, listConnectors, type StoredConnector } from '#shared/store/connector-store.ts';
import { confirmedSignature } from '#shared/store/signature-store.ts';
import type { SignatureItem } from '#shared/store/items.ts';

/**
 * Pushing a confirmed signature to the Action Network petitions of the partners the signer opted in to. The
 * invariants:
 *
 * - Only a confirmed signature (read from the table when the event arrives: an erased or replaced one is not
 *   sent), only to a connector whose partner is still a partner of the campaign and holds a consent on it.
 * - At most one delivery per (connector, signature) is ever made to succeed: each is claimed (connector-store.ts)
 *   before its first request, and a delivered or permanently failed one is not claimed again. Action Network also
 *   keeps one signature per person and petition, so a request repeated after a lost answer changes nothing.
 * - No connector sends faster than its rate (`ACTION_NETWORK_RATE_PER_SECOND`, Action Network's limit per key),
 *   however many invocations run: each request first claims its slot in the limits table.
 * - A 429, a 5xx or no answer is tried again a few times with backoff; if it still fails the delivery is left
 *   `retrying` and the invocation throws, so Lambda's own retries (then the events dead letters, which
 *   `tadamon dlq replay` replays) take it from there. Any other 4xx is permanent: recorded `failed`, not retried.
 */

export interface PushOptions {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Requests per delivery in one invocation (429/5xx/network errors only). */
  tries: number;
  /** The wait after the first failed try; it doubles after each (a Retry-After, up to `maxBackoffMs`, wins). */
  backoffMs: number;
  maxBackoffMs: number;
  requestTimeoutMs: number;
  /** How long to wait for a free request slot of the connector's rate before leaving it to the next invocation. */
  paceWaitMs: number;
  /** How long a claimed delivery stays this invocation's: at least the function's timeout. */
  leaseMs: number;
}

export const defaultPushOptions: PushOptions = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  tries: 3,
  backoffMs: 1000,
  maxBackoffMs: 10_000,
  requestTimeoutMs: 10_000,
  paceWaitMs: 10_000,
  leaseMs: 120_000,
};

export type DeliveryResult = 'delivered' | 'failed' | 'retrying' | 'skipped' | 'busy';

export class DeliveriesToRetry extends Error {
  override readonly name = 'DeliveriesToRetry';
}

/** The API's base: https on AWS, where a key must never travel in the clear. */
export function actionNetworkBase(): string {
  const base = config().ACTION_NETWORK_API_URL.replace(/\/+$/, '');
  if (process.env.AWS_LAMBDA_FUNCTION_NAME && !base.startsWith('https://')) throw new Error('ACTION_NETWORK_API_URL must be an https URL on AWS');
  return base;
}

/** The connectors this signature goes to: a partner of the campaign, with the signer's consent. */
export async function consentedConnectors(event: SignatureConfirmed): Promise<{ signature: SignatureItem; connectors: StoredConnector[] } | undefined> {
  const connectors = await listConnectors(event.slug);
  if (connectors.length === 0) return undefined;
  const [campaign, signature] = await Promise.all([findCampaign(event.slug), confirmedSignature(event.slug, event.emailKey)]);
  if (!campaign || !signature) return undefined;
  const consents = signature.partnerConsents ?? {};
  return { signature, connectors: connectors.filter((c) => findPartner(campaign, c.partner) && Object.hasOwn(consents, c.partner)) };
}

export async function pushToActionNetwork(event: SignatureConfirmed, options: PushOptions = defaultPushOptions): Promise<Record<string, DeliveryResult>> {
  const found = await consentedConnectors(event);
  if (!found) return {};
  // Every partner's delivery runs to its end before an error of one fails the invocation.
  const settled = await Promise.allSettled(found.connectors.map(async (c) => [c.partner, await deliver(c, found.signature, event, options)] as const));
  const error = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (error) throw error.reason;
  const results = settled.map((s) => (s as PromiseFulfilledResult<readonly [string, DeliveryResult]>).value);
  for (const result of ['delivered', 'failed', 'retrying'] as const) {
    const count = results.filter(([, r]) => r === result).length;
    if (count) metrics.addMetric(`ActionNetwork${result[0]!.toUpperCase()}${result.slice(1)}`, MetricUnit.Count, count);
  }
  // Busy: another invocation holds the delivery; coming back later finds it done, or its lease run out.
  const retrying = results.filter(([, r]) => r === 'retrying' || r === 'busy').map(([partner]) => partner);
  if (retrying.length) throw new DeliveriesToRetry(`Action Network deliveries of ${event.signatureId} left to retry: ${retrying.join(', ')}`);
  return Object.fromEntries(results);
}

async function deliver(connector: StoredConnector, signature: SignatureItem, event: SignatureConfirmed, options: PushOptions): Promise<DeliveryResult> {
  const ids = { slug: event.slug, partner: connector.partner, signatureId: event.signatureId };
  const claim = await claimDelivery(ids, options.now(), options.leaseMs);
  if (claim !== 'claimed') return claim === 'done' ? 'skipped' : 'busy';
  try {
    return await send(connector, signature, ids, options);
  } catch (error) {
    // Not left `sending` until its lease runs out: the next delivery of the event takes it at once.
    await finishDelivery(ids, { status: 'retrying', tries: 0, lastError: `not sent: ${error instanceof Error ? error.name : 'error'}` }, options.now()).catch(() => undefined);
    throw error;
  }
}

async function send(connector: StoredConnector, signature: SignatureItem, ids: { slug: string; partner: string; signatureId: string }, options: PushOptions): Promise<DeliveryResult> {
  const apiKey = await cachedKey(connector.secretName);
  if (!apiKey) {
    await finishDelivery(ids, { status: 'failed', tries: 0, lastError: 'The connector has no API key (removed meanwhile?).' }, options.now());
    return 'failed';
  }
  const body = JSON.stringify(recordSignatureRequest(signature, ids, connector.tags));
  const url = `${actionNetworkBase()}/petitions/${encodeURIComponent(connector.petitionId)}/signatures/`;
  const pace = `${ids.slug}#${ids.partner}`;
  let tries = 0;
  let last: Outcome = { kind: 'retry', error: 'not sent' };
  while (tries < options.tries) {
    if (!(await requestSlot(pace, options))) {
      last = { kind: 'retry', error: 'no request slot within the rate limit' };
      break;
    }
    tries++;
    last = await post(url, apiKey, body, options);
    if (last.kind !== 'retry') break;
    if (tries < options.tries) await options.sleep(Math.min(last.retryAfterMs ?? options.backoffMs * 2 ** (tries - 1), options.maxBackoffMs));
  }
  const status = last.kind === 'delivered' ? 'delivered' : last.kind === 'permanent' ? 'failed' : 'retrying';
  await finishDelivery(ids, { status, tries, lastStatus: 'status' in last ? last.status : undefined, lastError: 'error' in last ? last.error : undefined }, options.now());
  if (status !== 'delivered') {
    // Ids, the HTTP status and the cleaned error text: never the request, the person or the key.
    logger.warn('Action Network delivery not made', { ...ids, status, tries, lastStatus: 'status' in last ? last.status : undefined, error: 'error' in last ? last.error : undefined });
  }
  return status;
}

async function post(url: string, apiKey: string, body: string, options: PushOptions): Promise<Outcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'OSDI-API-Token': apiKey, 'Content-Type': 'application/json', Accept: 'application/hal+json, application/json' },
      body,
      signal: AbortSignal.timeout(options.requestTimeoutMs),
      redirect: 'error',
    });
    const outcome = classify(response.status, response.headers.get('retry-after'));
    const text = await response.text().catch(() => '');
    return outcome.kind === 'delivered' ? outcome : { ...outcome, error: errorText(response.status, text) };
  } catch (error) {
    return classifyError(error);
  }
}

/** Waits for one of the connector's request slots, second by second, up to `paceWaitMs`. */
async function requestSlot(connector: string, options: PushOptions): Promise<boolean> {
  const rate = config().ACTION_NETWORK_RATE_PER_SECOND;
  const giveUpAt = options.now().getTime() + options.paceWaitMs;
  for (;;) {
    const now = options.now().getTime();
    if (await claimConnectorRequest(connector, Math.floor(now / 1000), rate)) return true;
    const nextSecond = (Math.floor(now / 1000) + 1) * 1000;
    if (nextSecond > giveUpAt) return false;
    await options.sleep(nextSecond - now);
  }
}

// A key read is a Secrets Manager call ($0.05 per 10,000): kept a minute per container, so a replaced key is used
// within a minute, and a busy connector reads it once a minute rather than once a signature. No key is not kept: a
// connector set again right after its removal is used at once.
const cachedKey = cachedFor(60_000, readConnectorKey);

/** For tests that change a key between deliveries. */
export function forgetConnectorKeys(): void {
  cachedKey.forget();
}
