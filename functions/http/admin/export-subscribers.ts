import { matchesFilter } from '#shared/domain/subscriber-summary.ts';
import { csvPartResult, GzippedCsv } from '#shared/http/csv-parts.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { logger } from '#shared/observability.ts';
import { listConfirmedSubscribers } from '#shared/store/subscription-store.ts';

// As the signature export: inside Lambda's 6 MB response and API Gateway's 30 s, a part at a time.
const partBudget = { bytes: 3_500_000, ms: 20_000 };
const defaultPartRows = 50_000;
const rowsPerRead = 1000;

/**
 * Confirmed subscribers as CSV, filtered, through csv-stringify and gzip. This is a mailing list of people who
 * may be at risk: every export is logged with who asked, the filters and the size (never an address), so a
 * stolen operator token that is used to take the list shows in the logs and the alarms on them.
 */
export const handler = httpHandler(routes.adminExportSubscribers, async ({ event, query, operator }) => {
  const started = Date.now();
  const partRows = query.rows ?? defaultPartRows;
  const csv = new GzippedCsv({ columns: ['email', 'name', 'locale', 'urgent', 'digest', 'countries', 'topics'] });

  let rows = 0;
  let cursor = query.cursor;
  for (;;) {
    const page = await listConfirmedSubscribers({ limit: rowsPerRead, cursor });
    for (const s of page.items) {
      if (!matchesFilter(s, query)) continue;
      await csv.write([s.email, s.name ?? '', s.locale ?? '', s.urgent ? 'yes' : 'no', s.digest, s.countries.join(' '), s.topics.join(' ')]);
      rows++;
    }
    cursor = page.nextCursor ?? undefined;
    if (!cursor) break;
    // A filtered part stops between index pages, so it may hold up to a page more than `rows`: never fewer rows lost.
    if (rows >= partRows || csv.size > partBudget.bytes || Date.now() - started > partBudget.ms) break;
  }
  const body = await csv.finish();
  const filters = { country: query.country, topic: query.topic, locale: query.locale };
  logger.info('subscribers exported', { by: operator.id, filters, rows, compressedBytes: body.length, more: cursor !== undefined });
  const params = new URLSearchParams(Object.entries({ ...filters, rows: query.rows }).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]));
  if (cursor) params.set('cursor', cursor);
  return csvPartResult({ filename: 'subscribers.csv', body, rows, next: cursor ? { cursor, url: `${event.rawPath}?${params.toString()}` } : undefined });
});
