import { signatureConfirmed } from '#events/signature-confirmed.ts';
import type { DomainEvent } from '#shared/events/publisher.ts';
import { cachedFor } from '#shared/mail/short-cache.ts';
import { listConnectors } from '#shared/store/connector-store.ts';
import { listWebhooks } from '#shared/store/webhook-store.ts';

/**
 * Whether anyone listens for what CountConfirmations announces: a webhook for the event's type, or, for a
 * confirmed signature, a connector of its campaign. Each announcement is an EventBridge event ($1.00 a million)
 * and a PutEvents call in the counting path: a stage with neither would pay both for every signature, for nothing.
 *
 * A listener found is remembered for 10 s per container (the webhook signer's list is as old), so a surge reads
 * the two lists a few times a minute, not once a batch. None found is not remembered: the next batch asks again
 * (a query of the webhooks' partition and one of the campaign's, a read unit or two a batch), so a webhook or
 * connector added is heard from its first confirmation on.
 */
const rememberedMs = 10_000;

const webhookEvents = cachedFor(rememberedMs, async () => {
  const events = new Set<string>((await listWebhooks()).flatMap((webhook) => webhook.events));
  return events.size > 0 ? events : undefined;
});

const connectorsOf = cachedFor(rememberedMs, async (slug: string) => {
  const connectors = (await listConnectors(slug)).length;
  return connectors > 0 ? connectors : undefined;
});

export async function heard(event: DomainEvent): Promise<boolean> {
  if ((await webhookEvents('webhooks'))?.has(event.detailType)) return true;
  const slug = (event.detail as { slug?: unknown }).slug;
  return event.detailType === signatureConfirmed && typeof slug === 'string' && (await connectorsOf(slug)) !== undefined;
}
