import { z } from 'zod';
import { httpHandler } from '#shared/http/handler.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { reconcileCampaign } from '#shared/store/reconciliation.ts';

const query = z.object({ apply: z.enum(['true', 'false']).default('true').transform((v) => v === 'true') });

/** Recount a campaign from its signatures; corrects drift unless `?apply=false`. */
export const handler = httpHandler({ admin: true, query }, async ({ path, query }) => {
  const campaign = await getCampaign(path.slug ?? '');
  return json(200, await reconcileCampaign(campaign.slug, { apply: query.apply }));
});
