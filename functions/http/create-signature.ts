import { guardSubmission } from '#shared/abuse/guard.ts';
import { referrerHost, storedSource } from '#shared/domain/signature-source.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';
import { assertAcceptsSignatures, assertKnownPartners, recordSignatureRequest } from '#shared/use-cases/sign-campaign.ts';

export const handler = httpHandler(routes.createSignature, async ({ event, path, body }) => {
  const campaign = await getPublicCampaign(path.slug ?? '');
  assertAcceptsSignatures(campaign);
  assertKnownPartners(campaign, body);
  const guard = { action: 'sign', campaign: campaign.slug, email: body.email, captchaToken: body.captchaToken, honeypot: body.website } as const;
  // The form's source fields plus the host of the page that sent it: how the campaign travels, counted per value.
  const source = storedSource(body.source, referrerHost(event.headers));
  if ((await guardSubmission(event, guard)) !== 'drop') await recordSignatureRequest(campaign, { ...body, source });
  // The same answer whatever happened: it must not reveal whether this address already signed.
  return json(202, { status: 'pending' });
});
