import { now } from '#shared/clock.ts';
import { acceptsSignatures } from '#shared/domain/campaign.ts';
import { signatureInputSchema } from '#shared/domain/signature.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { conflict } from '#shared/http/problem.ts';
import { json } from '#shared/http/responses.ts';
import { logger, metrics } from '#shared/observability.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';
import { recordSignature } from '#shared/store/signature-store.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';

export const handler = httpHandler({ body: signatureInputSchema }, async ({ path, body }) => {
  const campaign = await getPublicCampaign(path.slug ?? '');
  if (!acceptsSignatures(campaign, now())) {
    throw conflict('campaign-closed', `"${campaign.title}" is not accepting signatures.`);
  }
  const outcome = await recordSignature(campaign.slug, body);
  logger.info('signature request', { campaign: campaign.slug, outcome });
  metrics.addMetric(outcome === 'recorded' ? 'SignaturesRecorded' : 'SignatureRepeats', MetricUnit.Count, 1);
  // The same answer whatever happened: it must not reveal whether this address already signed.
  return json(202, { status: 'pending' });
});
