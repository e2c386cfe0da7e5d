import type { Page } from './pagination.ts';
import { queryPage } from './query-pages.ts';
import { partitions } from './layout.ts';
import { tableName } from './table.ts';

/**
 * The erasure audit trail, apart from the erasure itself: reading it needs none of the keys that find a person
 * (erasure-store.ts writes the items, closeRequest).
 */

/** One finished erasure as the audit trail keeps it: never whose. */
export interface ErasureAudit {
  /** The day it finished. */
  erasedOn: string;
  items: number;
  /** An operator's erasure: who, when and why. A supporter's own (confirmed by their link) has none of these. */
  by?: string;
  at?: string;
  reason?: string;
}

/** Finished erasures, newest day first, a page at a time. */
export function listErasureAudits(page: { limit: number; cursor?: string | undefined }): Promise<Page<ErasureAudit>> {
  return queryPage(
    { TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': partitions.erasuresDone }, ScanIndexForward: false },
    {
      scope: 'erasures',
      limit: page.limit,
      cursor: page.cursor,
      keyAttributes: ['pk', 'sk', 'gsi2pk', 'gsi2sk'],
      map: (item) => ({
        erasedOn: String(item.erasedOn),
        items: Number(item.items ?? 0),
        ...(typeof item.by === 'string' ? { by: item.by } : {}),
        ...(typeof item.at === 'string' ? { at: item.at } : {}),
        ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
      }),
    },
  );
}
