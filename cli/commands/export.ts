import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Command } from 'commander';
import { CommandFailed, UsageError } from '../errors.ts';
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

export function exportCommand(): Command {
  return new Command('export')
    .summary("download a campaign's confirmed signatures as CSV")
    .description("download a campaign's confirmed signatures as CSV (name,email,country,postcode,comment,signed_at)")
    .argument('<slug>')
    .option('-o, --output <file>', "the CSV file to write ('-' for standard output; default: <slug>-signatures.csv)")
    .addHelpText('after', '\nThe file holds personal data: it is created readable by its owner only (mode 600). Keep it safe and delete it when done.')
    .action(async (slug: string, options: { output?: string }, command: Command) => {
      const ctx = Context.of(command);
      const output = options.output ?? `${slug}-signatures.csv`;
      const toStdout = output === '-';
      if (toStdout && ctx.json) throw new UsageError('--json and -o - would both write to standard output; write the CSV to a file.');

      const response = await ctx.client.send('GET', `${slugPath(slug)}/signatures.csv`, { headers: { accept: 'text/csv' }, timeoutMs: 10 * 60_000 });
      const header = response.headers.get('x-row-count');
      const expected = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;

      const counter = new RecordCounter();
      const bar = progress(ctx, 'export', { plainEveryMs: 1000 });
      const counting = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          counter.feed(chunk);
          bar.update(counter.rows, expected, `rows · ${(counter.bytes / 1024).toFixed(0)} KiB`);
          done(null, chunk);
        },
      });
      // fetch has already undone the gzip content-encoding: these are the CSV's own bytes.
      const source = response.body ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) : Readable.from([]);
      const partial = toStdout ? undefined : path.join(path.dirname(path.resolve(output)), `.${path.basename(output)}.${process.pid}.partial`);
      try {
        if (partial) {
          await pipeline(source, counting, createWriteStream(partial, { mode: 0o600 }));
          await rename(partial, output);
        } else {
          await pipeline(source, counting, process.stdout as Writable, { end: false });
        }
      } catch (error) {
        if (partial) await rm(partial, { force: true });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new UsageError(`Cannot write ${output}: ${(error as Error).message}`);
        throw new CommandFailed(`The export of ${slug} broke off after ${plural(counter.rows, 'row')}: ${(error as Error).message}`, ['Nothing was written; run it again.']);
      } finally {
        bar.stop();
      }

      const rows = counter.rows;
      if (expected !== undefined && expected !== rows) ctx.note(`Warning: the server counted ${plural(expected, 'row')}, the file has ${rows}.`);
      ctx.result({ slug, file: toStdout ? null : path.resolve(output), rows, bytes: counter.bytes, serverRowCount: expected ?? null }, () => {
        if (toStdout) ctx.note(`${plural(rows, 'signature')} exported.`);
        else ctx.say(`Wrote ${plural(rows, 'signature')} (${counter.bytes} bytes) to ${output}.`);
      });
    });
}
