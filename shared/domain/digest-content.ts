import { config } from '#shared/config.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { localise, type Campaign } from './campaign.ts';
import { isoWeekRange } from './iso-week.ts';

export interface CampaignLine {
  title: string;
  summary: string;
  url: string;
  total: number;
  goal: number | null;
}

export interface DigestContent {
  opened: CampaignLine[];
  progress: CampaignLine[];
}

interface OpenCampaign {
  campaign: Campaign;
  total: number;
}

/** The open campaigns with their totals, read once per digest (the sender caches it per outreach). */
export async function openCampaignsWithTotals(): Promise<OpenCampaign[]> {
  const open: OpenCampaign[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCampaigns({ status: 'open', limit: 100, cursor });
    for (const campaign of page.items) open.push({ campaign, total: (await getCounts(campaign.slug, campaign.goal)).total });
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return open;
}

/** What one reader's digest says: campaigns opened in the period, and the progress of every open one. */
export function digestFor(period: string, open: OpenCampaign[], locale: string | undefined): DigestContent {
  const range = isoWeekRange(period);
  const line = ({ campaign, total }: OpenCampaign): CampaignLine => {
    const c = localise(campaign, locale);
    return { title: c.title, summary: c.summary, url: `${config().PUBLIC_URL}/campaigns/${c.slug}`, total, goal: c.goal ?? null };
  };
  const openedAt = (c: Campaign) => new Date(c.publishedAt ?? c.opensAt ?? c.createdAt);
  const opened = open.filter(({ campaign }) => range && openedAt(campaign) >= range.start && openedAt(campaign) < range.end);
  return { opened: opened.map(line), progress: open.map(line) };
}
