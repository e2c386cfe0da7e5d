import { z } from 'zod';
import { singleLine } from '#shared/domain/fields.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { setOffset } from '#shared/store/counter-store.ts';

const body = z.strictObject({
  offset: z.number().int('offset must be a whole number.').min(0, 'offset cannot be negative.').max(1_000_000_000),
  reason: singleLine(500),
});

export const handler = httpHandler({ admin: true, body }, async ({ path, body, operator }) => {
  const campaign = await getCampaign(path.slug ?? '');
  return json(200, await setOffset(campaign.slug, body, operator?.id ?? 'unknown', campaign.goal));
});
