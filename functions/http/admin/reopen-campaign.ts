import { conflict } from '#shared/domain/errors.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { nowIso } from '#shared/clock.ts';
import { getCampaign, transitionCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';

/**
 * Reopening is its own step, never a side effect of publishing: a closed campaign may have been delivered, or
 * be waiting for its signers' data to be anonymised. Reopening an open campaign changes nothing.
 */
export const handler = httpHandler(routes.adminReopenCampaign, async ({ path }) => {
  const current = await getCampaign(path.slug ?? '');
  if (current.status === 'draft') {
    throw conflict('invalid-transition', `${current.slug} is a draft, never opened: publish it (POST /admin/campaigns/${current.slug}/publish).`);
  }
  if (current.status === 'closed') {
    // Its signers' personal data is gone and the anonymising job never visits a campaign twice: new signers
    // of a reopened campaign would be kept for ever.
    if (current.anonymisedAt) {
      throw conflict('anonymised', `${current.slug} was closed long enough for its signers to be anonymised (${current.anonymisedAt}); start a new campaign instead.`);
    }
    // The every-minute close would end it again at once.
    if (current.closesAt && current.closesAt <= nowIso()) {
      throw conflict('closes-at-passed', `${current.slug} closes at ${current.closesAt}, which has passed: set a later closesAt (PATCH) before reopening it.`);
    }
  }
  const campaign = await transitionCampaign(current.slug, ['closed'], 'open');
  return json(200, { ...campaign, counts: await getCounts(campaign.slug, campaign.goal) });
});
