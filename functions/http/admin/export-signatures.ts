import { createGzip } from 'node:zlib';
import { stringify } from 'csv-stringify';
import { neutraliseFormula } from '#shared/domain/csv-safety.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { Problem } from '#shared/http/problem.ts';
import { logger } from '#shared/observability.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { confirmedSignatures } from '#shared/store/signature-store.ts';

// Lambda's synchronous response limit is 6 MB (base64 included); stay well inside it.
const maxCompressedBytes = 4_200_000;

/**
 * The delivery export: confirmed signatures as CSV. Rows are read a page at a time, written through
 * csv-stringify and gzip as they come, so memory holds only the compressed output (about a tenth of the
 * CSV: ~100,000 signatures fit in one response). Larger campaigns get a 413 that says so.
 */
export const handler = httpHandler({ admin: true }, async ({ path }) => {
  const campaign = await getCampaign(path.slug ?? '');
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
  for await (const page of confirmedSignatures(campaign.slug)) {
    for (const s of page) {
      const row = [s.name, s.email, s.country, s.postcode, s.comment, s.signedAt].map(neutraliseFormula);
      if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
      rows++;
    }
    if (size > maxCompressedBytes) {
      csv.destroy();
      throw new Problem(413, 'export-too-large', `More than ${rows} signatures: too many for one response.`);
    }
  }
  csv.end();
  await collected;
  logger.info('signatures exported', { campaign: campaign.slug, rows, compressedBytes: size });
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-encoding': 'gzip',
      'content-disposition': `attachment; filename="${campaign.slug}-signatures.csv"`,
      'cache-control': 'no-store',
      'x-row-count': String(rows),
    },
    body: Buffer.concat(chunks).toString('base64'),
    isBase64Encoded: true,
  };
});
