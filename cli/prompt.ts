import { createInterface, type Interface } from 'node:readline';
import { read } from 'read';
import { UsageError } from './errors.ts';

/**
 * Questions for the person at the keyboard, asked on stderr so stdout stays the command's result. At a
 * terminal secrets are not echoed; from a pipe each answer is the next line.
 */
export class Prompter {
  private reader: Interface | undefined;
  private lines: AsyncIterator<string> | undefined;

  async ask(question: string, options: { secret?: boolean } = {}): Promise<string> {
    if (process.stdin.isTTY) {
      const answer = await read({ prompt: `${question} `, silent: options.secret === true, ...(options.secret ? { replace: '*' } : {}), output: process.stderr });
      return String(answer).trim();
    }
    process.stderr.write(`${question}\n`);
    // One reader for every question: separate readers would each buffer ahead and lose the lines after theirs.
    this.reader ??= createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    this.lines ??= this.reader[Symbol.asyncIterator]();
    const next = await this.lines.next();
    if (next.done) throw new UsageError(`Standard input ended before an answer to "${question}"`);
    return next.value.trim();
  }

  /** Lets the process end: an open reader on a pipe would keep it waiting for more input. */
  close(): void {
    this.reader?.close();
    if (!process.stdin.isTTY) process.stdin.destroy();
  }
}
