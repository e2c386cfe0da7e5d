import { localise } from '#shared/domain/campaign.ts';
import { publicPartner } from '#shared/domain/partners.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';

export const handler = httpHandler(routes.getCampaign, async ({ path, query }) => {
  const campaign = await getPublicCampaign(path.slug ?? '');
  const counts = await getCounts(campaign.slug, campaign.goal);
  // Partners with their opt-in text in every language: the widget shows the very text a consent records.
  const partners = campaign.partners ? { partners: campaign.partners.map(publicPartner) } : {};
  return json(200, { ...localise(campaign, query.locale), ...partners, counts });
});
