import { conflict } from '#shared/domain/errors.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign, transitionCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';

/**
 * CampaignPublished is emitted from the table's stream, so a crash here can never lose the event. A closed
 * campaign is not published again: reopening it is an explicit step (reopen-campaign.ts), so a repeated
 * `publish` in a script cannot quietly undo a close.
 */
export const handler = httpHandler(routes.adminPublishCampaign, async ({ path }) => {
  const current = await getCampaign(path.slug ?? '');
  if (current.status === 'closed') {
    throw conflict('campaign-closed', `${current.slug} is closed; to open it again, reopen it (POST /admin/campaigns/${current.slug}/reopen, or tadamon campaign reopen ${current.slug}).`);
  }
  const campaign = await transitionCampaign(current.slug, ['draft'], 'open');
  return json(200, { ...campaign, counts: await getCounts(campaign.slug, campaign.goal) });
});
