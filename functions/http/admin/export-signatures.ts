import { createGzip } from 'node:zlib';
import { stringify } from 'csv-stringify';
import { neutraliseFormula } from '#shared/domain/csv-safety.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { Problem } from '#shared/http/problem.ts';
import { logger } from '#shared/observability.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { confirmedSignaturePage } from '#shared/store/signature-store.ts';

// Lambda's synchronous response limit is 6 MB (base64 included); stay well inside it.
const maxCompressedBytes = 4_200_000;
// A part stops before its next page once it is this big or this old: a page adds at most a few hundred KB,
// and API Gateway gives up on an integration after 30 s.
const partBudget = { bytes: 3_500_000, ms: 20_000 };
const wholeBudgetMs = 25_000;
const defaultPartRows = 50_000;
const rowsPerRead = 1000;

/**
 * The delivery export: confirmed signatures as CSV, written through csv-stringify and gzip a thousand rows at
 * a time, so memory holds only the compressed output (about a tenth of the CSV). Without `rows` it is the
 * whole export or a 413; with `rows` it is a part, and the Link header leads to the next one, so a campaign
 * of any size can be exported (the CLI follows the parts into one file).
 */
export const handler = httpHandler(routes.adminExportSignatures, async ({ event, path, query }) => {
  const campaign = await getCampaign(path.slug ?? '');
  const started = Date.now();
  const partRows = query.rows ?? (query.cursor !== undefined ? defaultPartRows : undefined);
  const csv = stringify({ header: true, columns: ['name', 'email', 'country', 'postcode', 'comment', 'signed_at'], bom: false });
  const gzip = createGzip();
  csv.pipe(gzip);
  const chunks: Buffer[] = [];
  let size = 0;
  const collected = new Promise<void>((resolve, reject) => {
    gzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    gzip.on('end', resolve);
    gzip.on('error', reject);
    csv.on('error', reject);
  });

  let rows = 0;
  let cursor = query.cursor;
  for (;;) {
    const limit = partRows === undefined ? rowsPerRead : Math.min(rowsPerRead, partRows - rows);
    const page = await confirmedSignaturePage(campaign.slug, { limit, cursor });
    for (const s of page.items) {
      const row = [s.name, s.email, s.country, s.postcode, s.comment, s.signedAt].map(neutraliseFormula);
      if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
      rows++;
    }
    cursor = page.nextCursor ?? undefined;
    if (!cursor) break;
    const elapsed = Date.now() - started;
    if (partRows === undefined) {
      if (size > maxCompressedBytes || elapsed > wholeBudgetMs) {
        csv.destroy();
        throw new Problem(
          413,
          'export-too-large',
          `More than ${rows} signatures: too many for one response. Ask for it in parts with ?rows=50000 and follow the Link header (rel="next"); tadamon export does this.`,
        );
      }
    } else if (rows >= partRows || size > partBudget.bytes || elapsed > partBudget.ms) {
      break;
    }
  }
  csv.end();
  await collected;
  logger.info('signatures exported', { campaign: campaign.slug, rows, compressedBytes: size, part: partRows !== undefined, more: cursor !== undefined });
  const next = cursor && partRows !== undefined ? `${event.rawPath}?rows=${partRows}&cursor=${encodeURIComponent(cursor)}` : undefined;
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-encoding': 'gzip',
      'content-disposition': `attachment; filename="${campaign.slug}-signatures.csv"`,
      'cache-control': 'no-store',
      'x-row-count': String(rows),
      ...(next ? { 'x-next-cursor': cursor!, link: `<${next}>; rel="next"` } : {}),
    },
    body: Buffer.concat(chunks).toString('base64'),
    isBase64Encoded: true,
  };
});
