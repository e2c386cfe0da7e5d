import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CliError, CommandFailed, UsageError } from './errors.ts';
import { plural } from './output.ts';

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

export interface CsvDownload {
  /** The file to write, or '-' for standard output. */
  output: string;
  /** Asks for one part: the first has no cursor, the next ones the cursor the one before gave. */
  fetchPart(cursor: string | undefined, index: number): Promise<Response>;
  /** Names the export in the message when it breaks off ("The export of my-campaign"). */
  what: string;
  /** Called as bytes arrive (a progress bar). */
  onChunk?(counter: RecordCounter): void;
  /** Called once a part is written, with the rows it held; throwing abandons the download (a row check). */
  afterPart?(response: Response, rows: number, index: number): void;
}

/**
 * Follows a CSV export's parts (the x-next-cursor header) into one file, the header row once. The file is
 * written under a partial name, created readable by its owner only (it holds personal data), and renamed
 * only when every part has arrived: an export that breaks off leaves nothing behind that looks complete.
 */
export async function downloadCsvParts(download: CsvDownload): Promise<{ counter: RecordCounter; parts: number }> {
  const { output } = download;
  const counter = new RecordCounter();
  const counting = () =>
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        counter.feed(chunk);
        download.onChunk?.(counter);
        done(null, chunk);
      },
    });
  const partial = output === '-' ? undefined : path.join(path.dirname(path.resolve(output)), `.${path.basename(output)}.${process.pid}.partial`);
  const sink: Writable = partial ? createWriteStream(partial, { mode: 0o600 }) : (process.stdout as Writable);
  let parts = 0;
  try {
    let cursor: string | undefined;
    do {
      const response = await download.fetchPart(cursor, parts);
      const before = counter.rows;
      // fetch has already undone the gzip content-encoding: these are the CSV's own bytes.
      const source = response.body ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) : Readable.from([]);
      if (parts === 0) await pipeline(source, counting(), sink, { end: false });
      else await pipeline(source, withoutHeader(), counting(), sink, { end: false });
      download.afterPart?.(response, counter.rows - before, parts);
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
    throw new CommandFailed(`${download.what} broke off after ${plural(counter.rows, 'row')}: ${(error as Error).message}`, ['Nothing was written; run it again.']);
  }
  return { counter, parts };
}
