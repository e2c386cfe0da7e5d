import { describeRequest, type PendingRequest } from '#shared/use-cases/confirmation.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { browserLocale, linkPage, linkProblemPage, requestLocale } from '#shared/http/pages.ts';
import { problemFor } from '#shared/http/problem.ts';
import { renderConfirmPage } from '#shared/pages/confirm-pages.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { localise } from '#shared/domain/campaign.ts';

/**
 * A page with a button, never the confirmation itself: mail scanners follow links, and a GET that confirmed
 * would let them sign on people's behalf. It shows the newest request of the address the link was mailed to,
 * in the language that request was made in, and its form names that request, so the click confirms exactly
 * what was shown.
 */
export const handler = httpHandler(routes.getConfirmPage, async ({ event, path }) => {
  const token = path.token ?? '';
  let request: PendingRequest;
  try {
    request = await describeRequest(token);
  } catch (error) {
    const problem = problemFor(error);
    if (problem) return linkProblemPage(problem, browserLocale(event));
    throw error;
  }
  const locale = requestLocale(request.item, event);
  const slug = typeof request.item.campaign === 'string' ? request.item.campaign : undefined;
  const campaign = slug ? await findCampaign(slug) : undefined;
  const title = campaign ? localise(campaign, locale).title : (slug ?? '');
  const page = renderConfirmPage({ request, locale, campaignTitle: title, action: `/confirm/${encodeURIComponent(token)}` });
  return linkPage(locale, page.title, page.body);
});
