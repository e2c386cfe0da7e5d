import { sourceText } from '#shared/domain/signature-source.ts';
import { csvPartResult, GzippedCsv } from '#shared/http/csv-parts.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { notFound, Problem } from '#shared/http/problem.ts';
import { findPartner } from '#shared/domain/partners.ts';
import type { Campaign } from '#shared/domain/campaign.ts';
import { logger } from '#shared/observability.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import type { Page } from '#shared/store/pagination.ts';
import { partnerSupporterPage } from '#shared/store/partner-consents.ts';
import { confirmedSignaturePage } from '#shared/store/signature-store.ts';

// Lambda's synchronous response limit is 6 MB (base64 included); stay well inside it.
const maxCompressedBytes = 4_200_000;
// A part stops before its next page once it is this big or this old: a page adds at most a few hundred KB,
// and API Gateway gives up on an integration after 30 s.
const partBudget = { bytes: 3_500_000, ms: 20_000 };
const wholeBudgetMs = 25_000;
const defaultPartRows = 50_000;
const rowsPerRead = 1000;
const columns = ['name', 'email', 'country', 'postcode', 'comment', 'signed_at', 'confirmed_at', 'locale', 'source', 'public', 'subscribed'];
// A partner's copy holds what its supporters agreed to share with it and the consent itself, nothing the
// operator alone keeps (postcode, comment, where they came from, the public list, the operator's mailings).
const partnerColumns = ['name', 'email', 'country', 'locale', 'signed_at', 'confirmed_at', 'consent_at', 'consent_text', 'consent_locale'];

interface ExportView {
  columns: string[];
  filename: string;
  /** Extra query parameters the next part's link must keep. */
  query: string;
  rows: (page: { limit: number; cursor: string | undefined }) => Promise<Page<string[]>>;
}

/** Every confirmed signature, or (with `partner`) the supporters who opted in to that partner: 404 if the campaign names no such partner. */
function exportView(campaign: Campaign, partner: string | undefined): ExportView {
  if (partner === undefined) {
    return {
      columns,
      filename: `${campaign.slug}-signatures.csv`,
      query: '',
      rows: async (page) => {
        const { items, nextCursor } = await confirmedSignaturePage(campaign.slug, page);
        return {
          nextCursor,
          items: items.map((s) => [s.name, s.email, s.country, s.postcode, s.comment, s.signedAt, s.confirmedAt, s.locale, sourceText(s.source), String(s.public), String(s.subscribed)]),
        };
      },
    };
  }
  if (!findPartner(campaign, partner)) throw notFound(`"${campaign.slug}" has no partner "${partner}".`);
  return {
    columns: partnerColumns,
    filename: `${campaign.slug}-${partner}-signatures.csv`,
    query: `&partner=${partner}`,
    rows: async (page) => {
      const { items, nextCursor } = await partnerSupporterPage(campaign.slug, partner, page);
      return {
        nextCursor,
        items: items.map((s) => [s.name, s.email, s.country, s.locale, s.signedAt, s.confirmedAt, s.consent.at, s.consent.text, s.consent.locale]),
      };
    },
  };
}

/**
 * The delivery export: confirmed signatures as CSV, written through csv-stringify and gzip a thousand rows at
 * a time, so memory holds only the compressed output (about a tenth of the CSV). Without `rows` it is the
 * whole export or a 413; with `rows` it is a part, and the Link header leads to the next one, so a campaign
 * of any size can be exported (the CLI follows the parts into one file).
 */
export const handler = httpHandler(routes.adminExportSignatures, async ({ event, path, query }) => {
  const campaign = await getCampaign(path.slug ?? '');
  const view = exportView(campaign, query.partner);
  const started = Date.now();
  const partRows = query.rows ?? (query.cursor !== undefined ? defaultPartRows : undefined);
  // A byte-order mark on request (the CLI asks for it): without it Excel reads UTF-8 as a legacy code page and
  // breaks Arabic names. Only the first part of a split export starts a file, so the next link leaves it out.
  const csv = new GzippedCsv({ columns: view.columns, bom: query.bom });

  let rows = 0;
  let cursor = query.cursor;
  for (;;) {
    const limit = partRows === undefined ? rowsPerRead : Math.min(rowsPerRead, partRows - rows);
    const page = await view.rows({ limit, cursor });
    for (const row of page.items) {
      await csv.write(row);
      rows++;
    }
    cursor = page.nextCursor ?? undefined;
    if (!cursor) break;
    const elapsed = Date.now() - started;
    if (partRows === undefined) {
      if (csv.size > maxCompressedBytes || elapsed > wholeBudgetMs) {
        csv.destroy();
        throw new Problem(
          413,
          'export-too-large',
          `More than ${rows} signatures: too many for one response. Ask for it in parts with ?rows=50000 and follow the Link header (rel="next"); tadamon export does this.`,
        );
      }
    } else if (rows >= partRows || csv.size > partBudget.bytes || elapsed > partBudget.ms) {
      break;
    }
  }
  const body = await csv.finish();
  logger.info('signatures exported', { campaign: campaign.slug, ...(query.partner ? { partner: query.partner } : {}), rows, compressedBytes: body.length, part: partRows !== undefined, more: cursor !== undefined });
  const next = cursor && partRows !== undefined ? `${event.rawPath}?rows=${partRows}${view.query}&cursor=${encodeURIComponent(cursor)}` : undefined;
  return csvPartResult({ filename: view.filename, body, rows, next: next ? { cursor: cursor!, url: next } : undefined });
});
