import { wantsCampaign, type Subscriber } from './subscription.ts';
import type { Campaign } from './campaign.ts';
import type { Outreach } from './outreach.ts';
import { subscriberStatus } from './statuses.ts';

/** Who an outreach is for: urgent calls go to subscribers of urgent alerts whose filters match; digests to weekly readers. */
export function isRecipient(outreach: Pick<Outreach, 'kind'>, subscriber: Subscriber, campaign: Pick<Campaign, 'countries' | 'topics'> | undefined): boolean {
  if (subscriber.status !== subscriberStatus.confirmed) return false;
  if (outreach.kind === 'digest') return subscriber.digest === 'weekly';
  return subscriber.urgent && campaign !== undefined && wantsCampaign(subscriber, campaign);
}
