import { createGzip } from 'node:zlib';
import { stringify, type Stringifier } from 'csv-stringify';
import { neutraliseFormula } from '#shared/domain/csv-safety.ts';
import type { HttpResult } from '#shared/http/responses.ts';

/**
 * One part of a CSV export, written through csv-stringify and gzip as rows come, so memory holds only the
 * compressed output (about a tenth of the CSV) and `size` tells the handler when a part is big enough to stop
 * inside Lambda's 6 MB response limit. Every cell is made formula-safe before a spreadsheet can run it.
 */
export class GzippedCsv {
  private readonly csv: Stringifier;
  private readonly chunks: Buffer[] = [];
  private readonly collected: Promise<void>;
  /** Compressed bytes so far. */
  size = 0;

  constructor(options: { columns: string[]; bom?: boolean }) {
    this.csv = stringify({ header: true, columns: options.columns, bom: options.bom });
    const gzip = createGzip();
    this.csv.pipe(gzip);
    this.collected = new Promise<void>((resolve, reject) => {
      gzip.on('data', (chunk: Buffer) => {
        this.chunks.push(chunk);
        this.size += chunk.length;
      });
      gzip.on('end', resolve);
      gzip.on('error', reject);
      this.csv.on('error', reject);
    });
  }

  /** Writes a row, waiting when the stringifier's buffer is full. */
  async write(row: string[]): Promise<void> {
    if (!this.csv.write(row.map(neutraliseFormula))) await new Promise((resolve) => this.csv.once('drain', resolve));
  }

  /** Abandons the part (a response that will not be sent). */
  destroy(): void {
    this.csv.destroy();
  }

  /** Ends the CSV and gives the whole compressed part. */
  async finish(): Promise<Buffer> {
    this.csv.end();
    await this.collected;
    return Buffer.concat(this.chunks);
  }
}

/**
 * The response for a CSV part: gzip-encoded, never cached, with its row count (the CLI checks every part
 * against it), and when more follows, the cursor and a Link to the next part.
 */
export function csvPartResult(part: { filename: string; body: Buffer; rows: number; next?: { cursor: string; url: string } }): HttpResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-encoding': 'gzip',
      'content-disposition': `attachment; filename="${part.filename}"`,
      'cache-control': 'no-store',
      'x-row-count': String(part.rows),
      ...(part.next ? { 'x-next-cursor': part.next.cursor, link: `<${part.next.url}>; rel="next"` } : {}),
    },
    body: part.body.toString('base64'),
    isBase64Encoded: true,
  };
}
