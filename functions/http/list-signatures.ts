import { z } from 'zod';
import { httpHandler } from '#shared/http/handler.ts';
import { json } from '#shared/http/responses.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';
import { listPublicSignatures } from '#shared/store/signature-store.ts';
import { listQueryShape } from '#shared/store/pagination.ts';

const query = z.object(listQueryShape);

/** Confirmed signers who chose to be listed: name, country and date, nothing else. */
export const handler = httpHandler({ query }, async ({ path, query }) => {
  const campaign = await getPublicCampaign(path.slug ?? '');
  return json(200, await listPublicSignatures(campaign.slug, query));
});
