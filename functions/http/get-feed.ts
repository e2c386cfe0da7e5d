import { config } from '#shared/config.ts';
import { atomContentType, campaignFeed, feedSize } from '#shared/domain/campaign-feed.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { listCampaigns } from '#shared/store/campaign-store.ts';

/** Open campaigns, newest first, as Atom: for feed readers and the sites that embed the list. */
export const handler = httpHandler(routes.getFeed, async ({ query }) => {
  const page = await listCampaigns({ status: 'open', limit: feedSize });
  return {
    statusCode: 200,
    headers: { 'content-type': atomContentType },
    body: campaignFeed(page.items, { baseUrl: config().PUBLIC_URL, locale: query.locale, pageUrlTemplate: config().CAMPAIGN_PAGE_URL }),
  };
});
