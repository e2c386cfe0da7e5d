import { nowIso } from '#shared/clock.ts';
import { logger } from '#shared/observability.ts';
import { listCampaigns, transitionCampaign } from '#shared/store/campaign-store.ts';

/**
 * Every minute: open campaigns whose closesAt has passed become closed. Signing already refuses them the
 * moment closesAt passes (acceptsSignatures); this makes lists and the status say so too. Idempotent.
 */
export async function handler(): Promise<{ closed: string[] }> {
  const at = nowIso();
  const closed: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCampaigns({ status: 'open', limit: 100, cursor });
    for (const campaign of page.items) {
      if (campaign.closesAt && campaign.closesAt <= at) {
        await transitionCampaign(campaign.slug, ['open'], 'closed');
        closed.push(campaign.slug);
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (closed.length) logger.info('campaigns closed on schedule', { closed });
  return { closed };
}
