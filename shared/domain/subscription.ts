import * as z from 'zod';
import { countryCode, emailAddress, locale, personName, topic } from './fields.ts';
import type { SubscriberStatus } from './statuses.ts';

export const subscriptionInputSchema = z.strictObject({
  email: emailAddress,
  name: personName(200).optional(),
  locale: locale.optional(),
  urgent: z.boolean().default(true),
  digest: z.enum(['weekly', 'none']).default('weekly'),
  // Empty means everything.
  countries: z.array(countryCode).max(60).default([]),
  topics: z.array(topic).max(20).default([]),
});
export type SubscriptionInput = z.infer<typeof subscriptionInputSchema>;

export const subscriptionRequestSchema = subscriptionInputSchema.extend({
  website: z.string().max(500).optional(),
  captchaToken: z.string().max(4096).optional(),
});

export type SubscriptionStatus = SubscriberStatus;

export interface Subscriber extends SubscriptionInput {
  key: string;
  status: SubscriptionStatus;
}

/** Does an urgent call about a campaign concern this subscriber? Empty preferences mean everything. */
export function wantsCampaign(subscriber: Pick<Subscriber, 'countries' | 'topics'>, campaign: { countries: string[]; topics: string[] }): boolean {
  const countriesMatch = subscriber.countries.length === 0 || subscriber.countries.some((c) => campaign.countries.includes(c));
  const topicsMatch = subscriber.topics.length === 0 || subscriber.topics.some((t) => campaign.topics.includes(t));
  return countriesMatch && topicsMatch;
}
