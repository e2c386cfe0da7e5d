import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';
import { listApprovedEndorsements } from '#shared/store/endorsement-store.ts';

/** Approved endorsements only; the contact's address is never part of them. */
export const handler = httpHandler(routes.listEndorsements, async ({ path, query }) => {
  const campaign = await getPublicCampaign(path.slug ?? '');
  return json(200, await listApprovedEndorsements(campaign.slug, query));
});
