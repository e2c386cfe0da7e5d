import { now } from '#shared/clock.ts';
import { acceptsSignatures, takesEndorsements } from '#shared/domain/campaign.ts';
import { guardSubmission } from '#shared/abuse/guard.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { conflict } from '#shared/http/problem.ts';
import { json } from '#shared/http/responses.ts';
import { logger } from '#shared/observability.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';
import { recordEndorsement } from '#shared/store/endorsement-store.ts';

export const handler = httpHandler(routes.createEndorsement, async ({ event, path, body: request }) => {
  const { captchaToken, ...body } = request;
  const campaign = await getPublicCampaign(path.slug ?? '');
  // Before the guard, which counts requests: a refused one changes nothing.
  if (!takesEndorsements(campaign)) {
    throw conflict('people-only', `"${campaign.title}" is signed by people only; organisations cannot endorse it.`);
  }
  if (!acceptsSignatures(campaign, now())) {
    throw conflict('campaign-closed', `"${campaign.title}" is not accepting endorsements.`);
  }
  await guardSubmission(event, { action: 'endorse', campaign: campaign.slug, email: body.email, captchaToken });
  const outcome = await recordEndorsement(campaign.slug, body);
  logger.info('endorsement request', { campaign: campaign.slug, outcome });
  return json(202, { status: 'pending' });
});
