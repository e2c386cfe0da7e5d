import { z } from 'zod';
import { requestDigest } from '#shared/domain/outreach-requests.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { json } from '#shared/http/responses.ts';

const body = z.strictObject({ period: z.string().max(10).optional() });

/** The same code the weekly schedule runs; a period is sent at most once per subscriber. */
export const handler = httpHandler({ admin: true, body }, async ({ body, operator }) => {
  const { outreachId } = await requestDigest(body.period, operator?.id ?? 'unknown');
  return json(202, { outreachId });
});
