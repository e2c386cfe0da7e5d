import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { updateCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';

/** Slug and status are not fields to patch: the slug is in every shared link; status moves by publish/close. */
export const handler = httpHandler(routes.adminUpdateCampaign, async ({ path, body }) => {
  const campaign = await updateCampaign(path.slug ?? '', body);
  return json(200, { ...campaign, counts: await getCounts(campaign.slug, campaign.goal) });
});
