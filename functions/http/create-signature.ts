import { now } from '#shared/clock.ts';
import { acceptsSignatures } from '#shared/domain/campaign.ts';
import { guardSubmission } from '#shared/abuse/guard.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { conflict } from '#shared/http/problem.ts';
import { json } from '#shared/http/responses.ts';
import { logger, metrics } from '#shared/observability.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';
import { emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { subscribe } from '#shared/store/subscription-store.ts';
import { keys } from '#shared/store/table.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';

export const handler = httpHandler(routes.createSignature, async ({ event, path, body: request }) => {
  const { website, captchaToken, ...body } = request;
  const campaign = await getPublicCampaign(path.slug ?? '');
  if (!acceptsSignatures(campaign, now())) {
    throw conflict('campaign-closed', `"${campaign.title}" is not accepting signatures.`);
  }
  if ((await guardSubmission(event, { action: 'sign', campaign: campaign.slug, email: body.email, captchaToken, honeypot: website })) === 'drop') {
    return json(202, { status: 'pending' });
  }
  const outcome = await recordSignature(campaign.slug, body);
  if (body.subscribe) {
    // Urgent alerts and the weekly digest, about everything, in the signer's language: confirmed by the
    // signature's link, or by a link of its own when the signature was confirmed before. Either way one more
    // round trip, so the time taken does not tell a known signer from a new one.
    await subscribe(
      { email: body.email, name: body.name, ...(body.locale ? { locale: body.locale } : {}), urgent: true, digest: 'weekly', countries: [], topics: [] },
      outcome === 'unchanged' ? {} : { confirmedBy: keys.signature(campaign.slug, emailKey(body.email)) },
    );
  }
  logger.info('signature request', { campaign: campaign.slug, outcome });
  metrics.addMetric(outcome === 'recorded' ? 'SignaturesRecorded' : 'SignatureRepeats', MetricUnit.Count, 1);
  // The same answer whatever happened: it must not reveal whether this address already signed.
  return json(202, { status: 'pending' });
});
