import { localise, type Campaign } from './campaign.ts';

export interface CampaignSummary {
  slug: string;
  kind: Campaign['kind'];
  title: string;
  summary: string;
  locale: string;
  countries: string[];
  topics: string[];
  urgent: boolean;
  status: Campaign['status'];
  goal?: number;
  opensAt?: string;
  closesAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** What a list shows of a campaign: enough to choose one, without its long texts. */
export function campaignSummary(campaign: Campaign, locale?: string): CampaignSummary {
  const c = localise(campaign, locale);
  return {
    slug: c.slug,
    kind: c.kind,
    title: c.title,
    summary: c.summary,
    locale: c.locale,
    countries: c.countries,
    topics: c.topics,
    urgent: c.urgent,
    status: c.status,
    ...(c.goal !== undefined ? { goal: c.goal } : {}),
    ...(c.opensAt !== undefined ? { opensAt: c.opensAt } : {}),
    ...(c.closesAt !== undefined ? { closesAt: c.closesAt } : {}),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
