import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { transitionCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';

/** CampaignPublished is emitted from the table's stream, so a crash here can never lose the event. */
export const handler = httpHandler(routes.adminPublishCampaign, async ({ path }) => {
  const campaign = await transitionCampaign(path.slug ?? '', ['draft', 'closed'], 'open');
  return json(200, { ...campaign, counts: await getCounts(campaign.slug, campaign.goal) });
});
