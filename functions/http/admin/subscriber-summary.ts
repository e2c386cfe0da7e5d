import { addToTally, emptyTally, matchesFilter } from '#shared/domain/subscriber-summary.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { json } from '#shared/http/responses.ts';
import type { Page } from '#shared/store/pagination.ts';
import { scanSubscriberProfiles, type SubscriberProfile } from '#shared/store/subscriber-scan.ts';
import { listConfirmedSubscribers } from '#shared/store/subscription-store.ts';

// A page of the index is ~1,000 subscribers (about 0.3 s locally); stop well inside API Gateway's 30 s and
// hand back a cursor, so a list of any size is counted in parts.
const budgetMs = 20_000;
const pageSize = 1000;

/**
 * The two reads: confirmed subscribers through their index (cheap: it holds only them), or every status by a
 * Scan of the whole table (every item is read and billed). Each seals its cursors under a scope of its own, so
 * a cursor continues only the read that issued it.
 */
const reads: Record<'confirmed' | 'all', (page: { limit: number; cursor: string | undefined }) => Promise<Page<SubscriberProfile>>> = {
  confirmed: listConfirmedSubscribers,
  all: scanSubscriberProfiles,
};

/** Counts of subscribers (confirmed ones, or of every status), read a page at a time within the budget. */
export const handler = httpHandler(routes.adminSubscriberSummary, async ({ query }) => {
  const started = Date.now();
  const read = reads[query.statuses];
  const tally = emptyTally();
  let cursor = query.cursor;
  do {
    const page = await read({ limit: pageSize, cursor });
    for (const subscriber of page.items) if (matchesFilter(subscriber, query)) addToTally(tally, subscriber);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && Date.now() - started < budgetMs);
  return json(200, { ...tally, nextCursor: cursor ?? null });
});
