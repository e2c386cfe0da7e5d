import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Command, Option } from 'commander';
import { wholeNumber } from '../arguments.ts';
import { CliError, CommandFailed, UsageError } from '../errors.ts';
import { Context, plural } from '../output.ts';
import { progress } from '../progress.ts';
import { slugPath } from './campaign.ts';

/**
 * Counts CSV records as bytes go by: a line break inside a quoted field (a comment over several lines)
 * does not end a record, so the count stays right where `wc -l` would not.
 */
export class RecordCounter {
  private complete = 0;
  private quoted = false;
  private last = -1;
  bytes = 0;

  feed(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (byte === 0x22) this.quoted = !this.quoted;
      else if (byte === 0x0a && !this.quoted) this.complete++;
    }
    if (chunk.length) this.last = chunk[chunk.length - 1]!;
    this.bytes += chunk.length;
  }

  /** Records so far, the header included; a last line without a line break counts too. */
  get records(): number {
    return this.complete + (this.bytes > 0 && this.last !== 0x0a ? 1 : 0);
  }

  /** Data rows: records less the header. */
  get rows(): number {
    return Math.max(0, this.records - 1);
  }
}

/** Drops the first line: every part repeats the CSV's header row, and the file needs it once. */
function withoutHeader(): Transform {
  let dropping = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!dropping) return done(null, chunk);
      const end = chunk.indexOf(0x0a);
      if (end === -1) return done();
      dropping = false;
      done(null, chunk.subarray(end + 1));
    },
  });
}

const defaultPartRows = 50_000;

export function exportCommand(): Command {
  return new Command('export')
    .summary("download a campaign's confirmed signatures as CSV")
    .description(
      "download a campaign's confirmed signatures as CSV (name,email,country,postcode,comment,signed_at), oldest first, in parts of " +
        `up to ${defaultPartRows.toLocaleString('en')} rows that are joined into one file, so a campaign of any size fits`,
    )
    .argument('<slug>')
    .option('-o, --output <file>', "the CSV file to write ('-' for standard output; default: <slug>-signatures.csv)")
    // Smaller parts are for tests of the part-following.
    .addOption(new Option('--part-rows <n>', 'rows per request').argParser(wholeNumber(1, 100_000)).default(defaultPartRows).hideHelp())
    .addHelpText('after', '\nThe file holds personal data: it is created readable by its owner only (mode 600). Keep it safe and delete it when done.')
    .action(async (slug: string, options: { output?: string; partRows: number }, command: Command) => {
      const ctx = Context.of(command);
      const output = options.output ?? `${slug}-signatures.csv`;
      const toStdout = output === '-';
      if (toStdout && ctx.json) throw new UsageError('--json and -o - would both write to standard output; write the CSV to a file.');

      // The count is what the bar aims at; signatures erased since are counted but have nothing left to export.
      const campaign = await ctx.client.get<{ counts?: { signatures?: number } }>(slugPath(slug));
      const aimed = campaign.counts?.signatures;
      const counter = new RecordCounter();
      const bar = progress(ctx, 'export', { plainEveryMs: 1000 });
      const counting = () =>
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            counter.feed(chunk);
            bar.update(counter.rows, aimed === undefined ? undefined : Math.max(aimed, counter.rows), `rows · ${(counter.bytes / 1024).toFixed(0)} KiB`);
            done(null, chunk);
          },
        });
      const partial = toStdout ? undefined : path.join(path.dirname(path.resolve(output)), `.${path.basename(output)}.${process.pid}.partial`);
      const sink: Writable = partial ? createWriteStream(partial, { mode: 0o600 }) : (process.stdout as Writable);
      let parts = 0;
      let serverRows = 0;
      try {
        let cursor: string | undefined;
        do {
          const response = await ctx.client.send('GET', `${slugPath(slug)}/signatures.csv`, {
            headers: { accept: 'text/csv' },
            query: { rows: options.partRows, cursor },
            timeoutMs: 5 * 60_000,
          });
          const header = response.headers.get('x-row-count');
          const before = counter.rows;
          // fetch has already undone the gzip content-encoding: these are the CSV's own bytes.
          const source = response.body ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) : Readable.from([]);
          if (parts === 0) await pipeline(source, counting(), sink, { end: false });
          else await pipeline(source, withoutHeader(), counting(), sink, { end: false });
          if (header !== null && /^\d+$/.test(header)) {
            serverRows += Number(header);
            if (Number(header) !== counter.rows - before) {
              throw new Error(`part ${parts + 1} should hold ${plural(Number(header), 'row')} but had ${counter.rows - before}`);
            }
          }
          parts++;
          cursor = response.headers.get('x-next-cursor') ?? undefined;
        } while (cursor);
        if (partial) {
          await new Promise<void>((resolve, reject) => sink.end((error?: Error | null) => (error ? reject(error) : resolve())));
          await rename(partial, output);
        }
      } catch (error) {
        if (partial) {
          sink.destroy();
          await rm(partial, { force: true });
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new UsageError(`Cannot write ${output}: ${(error as Error).message}`);
        if (error instanceof CliError) throw error;
        throw new CommandFailed(`The export of ${slug} broke off after ${plural(counter.rows, 'row')}: ${(error as Error).message}`, ['Nothing was written; run it again.']);
      } finally {
        bar.stop();
      }

      const rows = counter.rows;
      ctx.result({ slug, file: toStdout ? null : path.resolve(output), rows, bytes: counter.bytes, parts, serverRowCount: serverRows }, () => {
        if (toStdout) ctx.note(`${plural(rows, 'signature')} exported.`);
        else ctx.say(`Wrote ${plural(rows, 'signature')} (${counter.bytes} bytes${parts > 1 ? `, ${parts} parts` : ''}) to ${output}.`);
      });
    });
}
