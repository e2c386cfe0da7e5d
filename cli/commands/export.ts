import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { wholeNumber } from '../arguments.ts';
import { downloadCsvParts, RecordCounter } from '../csv-download.ts';
import { UsageError } from '../errors.ts';
import { Context, plural } from '../output.ts';
import { progress } from '../progress.ts';
import { slugPath } from './campaign.ts';

const defaultPartRows = 50_000;

export function exportCommand(): Command {
  return new Command('export')
    .summary("download a campaign's confirmed signatures as CSV")
    .description(
      "download a campaign's confirmed signatures as CSV (name,email,country,postcode,comment,signed_at,confirmed_at,locale,source,public,subscribed), " +
        `oldest first, in parts of up to ${defaultPartRows.toLocaleString('en')} rows that are joined into one file, so a campaign of any size fits; ` +
        'with --countries, the per-country totals instead',
    )
    .argument('<slug>')
    .option('-o, --output <file>', "the CSV file to write ('-' for standard output; default: <slug>-signatures.csv)")
    // Smaller parts are for tests of the part-following.
    .addOption(new Option('--part-rows <n>', 'rows per request').argParser(wholeNumber(1, 100_000)).default(defaultPartRows).hideHelp())
    // Spreadsheets (Excel) read a CSV without a byte-order mark in a legacy code page and garble Arabic names.
    .option('--no-bom', 'leave out the UTF-8 byte-order mark the file starts with')
    .option('--countries', 'download the per-country totals (country,country_name,signatures,partners,total) to <slug>-countries.csv')
    .option(
      '--partner <id>',
      "one partner organisation's copy: only the confirmed signers who opted in to it " +
        '(name,email,country,locale,signed_at,confirmed_at,consent_at,consent_text,consent_locale), to <slug>-<id>-signatures.csv',
    )
    .addHelpText('after', '\nThe file holds personal data: it is created readable by its owner only (mode 600). Keep it safe and delete it when done.')
    .action(async (slug: string, options: { output?: string; partRows: number; bom: boolean; countries?: boolean; partner?: string }, command: Command) => {
      const ctx = Context.of(command);
      if (options.countries && options.partner !== undefined) throw new UsageError('--countries and --partner are different exports; give one of them.');
      if (options.countries) return exportCountries(ctx, slug, options);
      const partner = options.partner;
      const output = options.output ?? (partner !== undefined ? `${slug}-${partner}-signatures.csv` : `${slug}-signatures.csv`);
      const toStdout = output === '-';
      if (toStdout && ctx.json) throw new UsageError('--json and -o - would both write to standard output; write the CSV to a file.');

      // The count is what the bar aims at; signatures erased since are counted but have nothing left to export.
      const campaign = await ctx.client.get<{ counts?: { signatures?: number } }>(slugPath(slug));
      // A partner's copy holds only those who opted in to it: no count says how many that is.
      const aimed = partner !== undefined ? undefined : campaign.counts?.signatures;
      const bar = progress(ctx, 'export', { plainEveryMs: 1000 });
      let serverRows = 0;
      let download: Awaited<ReturnType<typeof downloadCsvParts>>;
      try {
        download = await downloadCsvParts({
          output,
          what: `The export of ${slug}`,
          fetchPart: (cursor, index) =>
            ctx.client.send('GET', `${slugPath(slug)}/signatures.csv`, {
              headers: { accept: 'text/csv' },
              // The mark starts the file: only the first part asks for it.
              query: { rows: options.partRows, cursor, ...(partner !== undefined ? { partner } : {}), ...(index === 0 && options.bom ? { bom: 1 } : {}) },
              timeoutMs: 5 * 60_000,
            }),
          onChunk: (counter) =>
            bar.update(counter.rows, aimed === undefined ? undefined : Math.max(aimed, counter.rows), `rows · ${(counter.bytes / 1024).toFixed(0)} KiB`),
          afterPart: (response, rows, index) => {
            const header = response.headers.get('x-row-count');
            if (header === null || !/^\d+$/.test(header)) return;
            serverRows += Number(header);
            if (Number(header) !== rows) throw new Error(`part ${index + 1} should hold ${plural(Number(header), 'row')} but had ${rows}`);
          },
        });
      } finally {
        bar.stop();
      }

      const { counter, parts } = download;
      const rows = counter.rows;
      ctx.result({ slug, ...(partner !== undefined ? { partner } : {}), file: toStdout ? null : path.resolve(output), rows, bytes: counter.bytes, parts, serverRowCount: serverRows }, () => {
        if (toStdout) ctx.note(`${plural(rows, 'signature')} exported.`);
        else ctx.say(`Wrote ${plural(rows, 'signature')} (${counter.bytes} bytes${parts > 1 ? `, ${parts} parts` : ''}) to ${output}.`);
      });
    });
}

/** The per-country summary: one small response (a row per country), written as it comes. */
async function exportCountries(ctx: Context, slug: string, options: { output?: string; bom: boolean }): Promise<void> {
  const output = options.output ?? `${slug}-countries.csv`;
  const toStdout = output === '-';
  if (toStdout && ctx.json) throw new UsageError('--json and -o - would both write to standard output; write the CSV to a file.');
  const response = await ctx.client.send('GET', `${slugPath(slug)}/countries.csv`, { headers: { accept: 'text/csv' }, query: options.bom ? { bom: 1 } : {} });
  const bytes = Buffer.from(await response.arrayBuffer());
  const counter = new RecordCounter();
  counter.feed(bytes);
  try {
    if (toStdout) process.stdout.write(bytes);
    else await writeFile(output, bytes);
  } catch (error) {
    throw new UsageError(`Cannot write ${output}: ${(error as Error).message}`);
  }
  ctx.result({ slug, file: toStdout ? null : path.resolve(output), countries: counter.rows, bytes: bytes.length }, () => {
    if (toStdout) ctx.note(`${plural(counter.rows, 'country', 'countries')} exported.`);
    else ctx.say(`Wrote ${plural(counter.rows, 'country', 'countries')} to ${output}.`);
  });
}
