import { createHash } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import { canonicalEmail } from '#shared/domain/email-address.ts';
import { signatureImportRowSchema, type SignatureImportRow } from '#shared/http/import-schemas.ts';
import { UsageError } from './errors.ts';

/**
 * Signatures from paper or offline forms, as a CSV file with a header row: `name`, `email`, `country` (required),
 * `subscribe` and `public` (yes/no; empty is no), and optionally `locale`, `postcode`, `comment`. Headers are read
 * in any case and order. Every row is checked with the schema the API checks it with (the `SignatureSubmitted`
 * contract, which is the signing request's own), so a row that passes here is one the API takes; a row that
 * does not is reported by its line in the file, never guessed at. A file the CSV reader cannot read (a quote left
 * open) is refused whole: what follows a broken quote cannot be trusted to be the rows it seems to be.
 */

export const requiredColumns = ['name', 'email', 'country'] as const;
export const optionalColumns = ['subscribe', 'public', 'locale', 'postcode', 'comment'] as const;
type Column = (typeof requiredColumns)[number] | (typeof optionalColumns)[number];
const knownColumns: readonly Column[] = [...requiredColumns, ...optionalColumns];

/** A row to import: the line it starts on (1 is the header), and the request it becomes. */
export interface ImportRow {
  line: number;
  request: SignatureImportRow;
}

export interface RejectedRow {
  line: number;
  /** What is wrong, by field; never the value (it may be someone's address). */
  reason: string;
}

export interface SignatureFile {
  rows: ImportRow[];
  rejected: RejectedRow[];
}

/** Consent columns: what people write on a form or in a spreadsheet. Empty means no, as an unticked box. */
const yes = new Set(['yes', 'y', 'true', '1', 'x', 'oui', 'si', 'sí', 'نعم']);
const no = new Set(['', 'no', 'n', 'false', '0', 'non', 'لا']);

export function readSignatureCsv(text: string, options: { slug: string; ref?: string | undefined; file?: string }): SignatureFile {
  const file = options.file ?? 'the file';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // Files from spreadsheets end lines with CRLF, from editors LF, and some mix them.
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as typeof records; // with `info`, each record comes with where it ended
  } catch (error) {
    if (error instanceof CsvError) {
      throw new UsageError(`${file} is not a CSV file this can read: ${error.message}`, { hints: ['Nothing was imported. Fix the file (a quote left open or misplaced) and run the command again.'] });
    }
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw new UsageError(`${file} is empty: it needs a header row (${requiredColumns.join(',')},…) and a row per signature.`);
  const columns = headerColumns(header.record, file);
  const seen = new Map<string, number>();
  const rows: ImportRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const { record, info } of body) {
    // A quoted field may hold line breaks: the record ends on `info.lines` and starts that many lines before.
    const line = info.lines - record.reduce((breaks, field) => breaks + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    const result = rowOf(record, columns, options);
    if ('reason' in result) {
      rejected.push({ line, reason: result.reason });
      continue;
    }
    const identity = canonicalEmail(result.email);
    const earlier = seen.get(identity);
    if (earlier !== undefined) {
      rejected.push({ line, reason: `the same address as line ${earlier}.` });
      continue;
    }
    seen.set(identity, line);
    rows.push({ line, request: { ...result, idempotencyKey: importKey(options.slug, identity) } });
  }
  return { rows, rejected };
}

/**
 * The row's idempotency key: the campaign and the person (their canonical address), hashed. A signature is one per
 * person per campaign, so a re-run of the file, or the same person in a later file within the week the receipts
 * are kept, records nothing again and mails nobody twice; the line is not part of it, so adding or removing rows
 * above does not make the others new.
 */
export function importKey(slug: string, identity: string): string {
  return createHash('sha256').update(`tadamon-import\n${slug}\n${identity}`).digest('base64url');
}

function headerColumns(header: string[], file: string): Column[] {
  const names = header.map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !knownColumns.includes(name as Column));
  if (unknown.length > 0) {
    // A misspelt consent column read as "no" would drop a consent someone gave: refuse rather than guess.
    throw new UsageError(`${file} has columns this does not know: ${unknown.map((name) => `"${name}"`).join(', ')}.`, {
      hints: [`The columns are ${requiredColumns.join(', ')} (required) and ${optionalColumns.join(', ')}, in any order and case.`],
    });
  }
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) throw new UsageError(`${file} has the column "${twice[0]}" twice.`);
  const missing = requiredColumns.filter((name) => !names.includes(name));
  if (missing.length > 0) throw new UsageError(`${file} has no ${missing.map((name) => `"${name}"`).join(', ')} column.`, { hints: [`The first row names the columns: ${requiredColumns.join(',')},subscribe,public,locale`] });
  return names as Column[];
}

function rowOf(record: string[], columns: Column[], options: { ref?: string | undefined }): Omit<SignatureImportRow, 'idempotencyKey'> | { reason: string } {
  if (record.length > columns.length) return { reason: `${record.length} cells where the header names ${columns.length}.` };
  const cells = new Map(columns.map((column, i) => [column, (record[i] ?? '').trim()]));
  const problems: string[] = [];
  const consent = (column: 'subscribe' | 'public'): boolean => {
    const value = (cells.get(column) ?? '').toLowerCase();
    if (yes.has(value)) return true;
    if (!no.has(value)) problems.push(`${column}: use yes or no.`);
    return false;
  };
  const text = (column: Column) => cells.get(column) || undefined;
  const candidate = {
    name: cells.get('name') ?? '',
    email: cells.get('email') ?? '',
    country: (cells.get('country') ?? '').toUpperCase(),
    subscribe: consent('subscribe'),
    public: consent('public'),
    ...(text('locale') ? { locale: text('locale') } : {}),
    ...(text('postcode') ? { postcode: text('postcode') } : {}),
    ...(text('comment') ? { comment: text('comment') } : {}),
    ...(options.ref ? { source: { ref: options.ref } } : {}),
    // Stands in for the key the caller derives once the row is known good; checked by the same schema.
    idempotencyKey: 'x'.repeat(43),
  };
  const parsed = signatureImportRowSchema.safeParse(candidate);
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'row'}: ${issue.message}`));
  if (problems.length > 0 || !parsed.success) return { reason: problems.join(' ') };
  const { idempotencyKey: _placeholder, ...request } = parsed.data;
  return request;
}
