import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { reconcileCampaign } from '#shared/store/reconciliation.ts';

/** Recount a campaign from its signatures; corrects drift unless `?apply=false`. */
export const handler = httpHandler(routes.adminReconcileCampaign, async ({ path, query }) => {
  const campaign = await getCampaign(path.slug ?? '');
  return json(200, await reconcileCampaign(campaign.slug, { apply: query.apply }));
});
