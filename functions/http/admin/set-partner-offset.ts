import * as z from 'zod';
import { httpHandler } from '#shared/http/handler.ts';
import { validationProblem } from '#shared/http/problem.ts';
import { partnerIdSchema } from '#shared/http/request-schemas.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { setPartnerCount } from '#shared/store/counter-store.ts';

const partnerPath = z.object({ partner: partnerIdSchema });

/** A partner's absolute count (and breakdown): it replaces the partner's last one; the offset is their sum. */
export const handler = httpHandler(routes.adminSetPartnerOffset, async ({ path, body, operator }) => {
  const parsed = partnerPath.safeParse(path);
  if (!parsed.success) throw validationProblem(parsed.error, 'path');
  const campaign = await getCampaign(path.slug ?? '');
  return json(200, await setPartnerCount(campaign.slug, parsed.data.partner, body, operator.id, campaign.goal));
});
