import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { now } from '#shared/clock.ts';
import { acceptsSignatures, takesSignatures, type Campaign } from '#shared/domain/campaign.ts';
import { consentsGiven, unknownPartners } from '#shared/domain/partners.ts';
import type { signatureRequestSchema } from '#shared/domain/signature.ts';
import { badRequest, conflict } from '#shared/http/problem.ts';
import { logger, metrics } from '#shared/observability.ts';
import { emailKey, recordSignature } from '#shared/store/signature-store.ts';
import { subscribe } from '#shared/store/subscription-store.ts';
import { keys } from '#shared/store/table.ts';
import type { z } from 'zod';

/**
 * One signature request, whichever way it came (the JSON API, the campaign page's plain form). The handler
 * refuses it when the campaign takes no signatures, passes it through the abuse guard, then records it here:
 * pending until its link is clicked, with the optional subscription. The caller answers the same whatever
 * happened: the answer must not tell whether this address already signed.
 */

export type SignatureRequest = z.infer<typeof signatureRequestSchema>;

/** 409 when the campaign is not open, or outside its dates, or gathers organisations only. */
export function assertAcceptsSignatures(campaign: Campaign): void {
  if (!takesSignatures(campaign)) throw conflict('organisations-only', `"${campaign.title}" is endorsed by organisations only; people cannot sign it.`);
  if (!acceptsSignatures(campaign, now())) throw conflict('campaign-closed', `"${campaign.title}" is not accepting signatures.`);
}

/**
 * 400 naming `partners` when the request opts in to an organisation that is not a partner of the campaign:
 * checked before the abuse guard, so a bad request changes nothing (not even a rate limit's window).
 */
export function assertKnownPartners(campaign: Campaign, request: Pick<SignatureRequest, 'partners'>): void {
  const unknown = unknownPartners(campaign, request.partners);
  if (!unknown.length) return;
  const message = `Not a partner of this campaign: ${unknown.join(', ')}.`;
  throw badRequest('The request body is not valid.', [{ path: 'partners', message }]);
}

/**
 * Records a request the guard let through (without its anti-abuse fields, which are never stored). The partners
 * it opted in to become consents, each with the text its box showed in the request's language: the page, the
 * widget (from the API) and this all take it from `optInText`.
 */
export async function recordSignatureRequest(campaign: Campaign, request: SignatureRequest): Promise<void> {
  assertKnownPartners(campaign, request);
  const { website: _website, captchaToken: _captchaToken, partners, ...body } = request;
  const partnerConsents = consentsGiven(campaign, partners, body.locale ?? campaign.locale, now().toISOString());
  const outcome = await recordSignature(campaign.slug, { ...body, partnerConsents });
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
}
