import { campaignPageUrl } from '#shared/pages/campaign-page-url.ts';
import type { CampaignLine } from '#shared/mail/templates/digest.ts';
import { campaignsWithStatus } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { localise, signersOf, type Campaign } from '#shared/domain/campaign.ts';
import { isoWeekRange } from '#shared/domain/iso-week.ts';
import { campaignStatus } from '#shared/domain/statuses.ts';

export interface DigestContent {
  opened: CampaignLine[];
  progress: CampaignLine[];
}

interface OpenCampaign {
  campaign: Campaign;
  total: number;
  /** Approved endorsements: a statement's progress. */
  endorsements?: number;
}

// At most this many counter reads in flight at once: a page of campaigns' worth.
const concurrentReads = 100;

/** The open campaigns with their totals, read once per digest (the sender caches it per outreach). */
export async function openCampaignsWithTotals(): Promise<OpenCampaign[]> {
  const campaigns: Campaign[] = [];
  for await (const campaign of campaignsWithStatus(campaignStatus.open)) campaigns.push(campaign);
  const open: OpenCampaign[] = [];
  // The digest then waits for one counter read per batch rather than one per campaign.
  for (let i = 0; i < campaigns.length; i += concurrentReads) {
    const batch = campaigns.slice(i, i + concurrentReads);
    open.push(
      ...(await Promise.all(
        batch.map(async (campaign) => {
          const counts = await getCounts(campaign.slug, campaign.goal);
          return { campaign, total: counts.total, endorsements: counts.endorsements };
        }),
      )),
    );
  }
  return open;
}

/** What one reader's digest says: campaigns opened in the period, and the progress of every open one. */
export function digestFor(period: string, open: OpenCampaign[], locale: string | undefined): DigestContent {
  const range = isoWeekRange(period);
  const line = ({ campaign, total, endorsements }: OpenCampaign): CampaignLine => {
    const c = localise(campaign, locale);
    // A statement is carried by the organisations that endorse it: the digest reports them, not "0 signatures".
    const statement = signersOf(campaign) !== 'people' ? { endorsements: endorsements ?? 0 } : {};
    return { title: c.title, summary: c.summary ?? '', url: campaignPageUrl(campaign, locale), total, goal: c.goal ?? null, ...statement };
  };
  const openedAt = (c: Campaign) => new Date(c.publishedAt ?? c.opensAt ?? c.createdAt);
  const opened = open.filter(({ campaign }) => range && openedAt(campaign) >= range.start && openedAt(campaign) < range.end);
  return { opened: opened.map(line), progress: open.map(line) };
}
