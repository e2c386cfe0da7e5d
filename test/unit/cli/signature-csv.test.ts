import { describe, expect, it } from 'vitest';
import { batches } from '#cli/commands/import.ts';
import { UsageError } from '#cli/errors.ts';
import { importKey, readSignatureCsv } from '#cli/signature-csv.ts';
import { signatureImportRowSchema } from '#shared/http/import-schemas.ts';

const read = (text: string, options: { slug?: string; ref?: string } = {}) => readSignatureCsv(text, { slug: options.slug ?? 'free-nasser-zefzafi', ref: options.ref, file: 'paper.csv' });

function refusal(text: string): UsageError {
  try {
    read(text);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('the file was read');
}

describe('reading signatures from a CSV file', () => {
  it('reads each row into the request the API takes, headers in any case and order, consent as yes or no', () => {
    const file = read(
      '\uFEFFEmail, NAME ,Country,Subscribe,PUBLIC,locale,Comment\r\n' +
        'amina@example.org,Amina El Idrissi,ma,yes,No,fr,\r\n' +
        'karim@example.org,Karim,TN,,Y,,"Free them,\nall of them"\r\n',
      { ref: 'paper-vigil' },
    );
    expect(file.rejected).toEqual([]);
    expect(file.rows.map((row) => row.line)).toEqual([2, 3]);
    expect(file.rows[0]!.request).toEqual({
      name: 'Amina El Idrissi',
      email: 'amina@example.org',
      country: 'MA',
      subscribe: true,
      public: false,
      locale: 'fr',
      source: { ref: 'paper-vigil' },
      idempotencyKey: importKey('free-nasser-zefzafi', 'amina@example.org'),
    });
    expect(file.rows[1]!.request).toMatchObject({ name: 'Karim', subscribe: false, public: true, comment: 'Free them,\nall of them' });
    expect(file.rows[1]!.request).not.toHaveProperty('locale');
    for (const row of file.rows) expect(signatureImportRowSchema.safeParse(row.request).success).toBe(true);
  });

  it('reports each bad row by the line it starts on, with the reason and never the value, and keeps the rest', () => {
    const file = read(
      [
        'name,email,country,subscribe',
        'Amina,amina@example.org,MA,yes',
        '"Two-line',
        'name",not-an-address,MA,no',
        '',
        'Karim,karim@example.org,Atlantis,no',
        'Salma,salma@example.org,TN,maybe',
        'Nour,nour@example.org,EG,no,extra',
        'Dup,AMINA@example.org,MA,no',
        ',empty-name@example.org,MA,',
        'Last,last@example.org,FR,',
      ].join('\n'),
    );
    expect(file.rows.map((row) => [row.line, row.request.email])).toEqual([
      [2, 'amina@example.org'],
      [11, 'last@example.org'],
    ]);
    expect(file.rejected.map((row) => row.line)).toEqual([3, 6, 7, 8, 9, 10]);
    const reasons = Object.fromEntries(file.rejected.map((row) => [row.line, row.reason]));
    expect(reasons[3]).toBe('name: Line breaks are not allowed here. email: Not a valid email address.');
    expect(reasons[6]).toMatch(/^country: /);
    expect(reasons[7]).toBe('subscribe: use yes or no.');
    expect(reasons[8]).toBe('5 cells where the header names 4.');
    expect(reasons[9]).toBe('the same address as line 2.');
    expect(reasons[10]).toMatch(/^name: /);
    expect(JSON.stringify(file.rejected)).not.toMatch(/not-an-address|Atlantis|maybe|empty-name/);
  });

  it('refuses the whole file when its header is wrong or its quoting broken: nothing is guessed', () => {
    expect(refusal('name,email,country,subscibe\nA,a@example.org,MA,yes\n').message).toBe('paper.csv has columns this does not know: "subscibe".');
    expect(refusal('name,email\nA,a@example.org\n').message).toBe('paper.csv has no "country" column.');
    expect(refusal('name,email,country,Email\n').message).toBe('paper.csv has the column "email" twice.');
    expect(refusal('').message).toMatch(/is empty/);
    expect(refusal('name,email,country\nA,a@example.org,MA\n"B,b@example.org,MA\nC,c@example.org,MA\n').message).toMatch(/^paper.csv is not a CSV file this can read: Quote Not Closed/);
  });

  it('keys a row by campaign and person, so a re-run or a reordered file imports nobody twice', () => {
    const first = read('name,email,country\nA,a@example.org,MA\nB,b@example.org,MA\n');
    const reordered = read('name,email,country\nB,b@example.org,MA\nAnother name,A@Example.org,MA\n');
    expect(reordered.rows.map((row) => row.request.idempotencyKey)).toEqual([first.rows[1]!.request.idempotencyKey, first.rows[0]!.request.idempotencyKey]);
    expect(read('name,email,country\nA,a@example.org,MA\n', { slug: 'another-campaign' }).rows[0]!.request.idempotencyKey).not.toBe(first.rows[0]!.request.idempotencyKey);
    expect(first.rows[0]!.request.idempotencyKey).not.toContain('example');
  });

  it('batches rows ten at a time, fewer when their comments are long, so every request stays well under 16 KiB', () => {
    const rows = (n: number, comment = '') => read(['name,email,country,comment', ...Array.from({ length: n }, (_, i) => `P${i},p${i}@example.org,MA,${comment}`)].join('\n')).rows;
    expect(batches(rows(25)).map((batch) => batch.length)).toEqual([10, 10, 5]);
    const long = batches(rows(12, 'ح'.repeat(1000)));
    expect(long.length).toBeGreaterThan(2);
    for (const batch of long) {
      expect(batch.length).toBeLessThanOrEqual(10);
      expect(Buffer.byteLength(JSON.stringify({ signatures: batch.map((row) => row.request) }))).toBeLessThan(16 * 1024);
    }
    expect(long.flat().map((row) => row.line)).toEqual(rows(12, 'x').map((row) => row.line));
    expect(batches([])).toEqual([]);
  });
});
