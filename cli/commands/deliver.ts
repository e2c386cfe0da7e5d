import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { CliError, CommandFailed, UsageError } from '../errors.ts';
import { Context, plural } from '../output.ts';
import { slugPath } from './campaign.ts';

/** `x.pdf` → `x.pdf`, `x-part-2.pdf`, …: each part of a long list is a PDF of its own. */
export function partFile(output: string, part: number): string {
  if (part === 1) return output;
  const extension = path.extname(output);
  return `${output.slice(0, output.length - extension.length)}-part-${part}${extension || '.pdf'}`;
}

export function deliverCommand(): Command {
  return new Command('deliver')
    .summary('download the document to hand to the target (PDF)')
    .description(
      "download the campaign's delivery document: the letter and its target, the demands, the total with the date, the signatures by country, " +
        "the endorsing organisations and the signatories' names and countries, in the campaign's language. A long list of names comes in parts, " +
        'each written to a PDF of its own (<file>, <file>-part-2.pdf, …).',
    )
    .argument('<slug>')
    .option('-o, --output <file>', 'the PDF to write (default: <slug>-delivery.pdf)')
    .addOption(
      new Option('--names <which>', 'public: those who chose to be named; all: everyone (only for a campaign whose signers were told, deliverAllNames)')
        .choices(['public', 'all'])
        .default('public'),
    )
    .addHelpText('after', '\nThe files hold personal data: they are created readable by their owner only (mode 600).')
    .action(async (slug: string, options: { output?: string; names: 'public' | 'all' }, command: Command) => {
      const ctx = Context.of(command);
      const output = options.output ?? `${slug}-delivery.pdf`;
      const files: string[] = [];
      let names = 0;
      let cursor: string | undefined;
      let from = 1;
      try {
        do {
          const response = await ctx.client.send('GET', `${slugPath(slug)}/delivery.pdf`, {
            headers: { accept: 'application/pdf' },
            query: { names: options.names, cursor, ...(from > 1 ? { from } : {}) },
            timeoutMs: 5 * 60_000,
          });
          const file = partFile(output, files.length + 1);
          await writeFile(file, Buffer.from(await response.arrayBuffer()), { mode: 0o600 });
          files.push(file);
          const count = Number(response.headers.get('x-name-count') ?? 0);
          names += count;
          from += count;
          cursor = response.headers.get('x-next-cursor') ?? undefined;
          if (cursor) ctx.note(`Part ${files.length}: ${plural(count, 'name')} in ${file}; fetching the next…`);
        } while (cursor);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new UsageError(`Cannot write ${output}: ${(error as Error).message}`);
        if (error instanceof CliError) throw error;
        throw new CommandFailed(`The delivery document of ${slug} broke off after ${plural(files.length, 'part')}: ${(error as Error).message}`, ['Run it again.']);
      }
      ctx.result({ slug, files, names }, () => ctx.say(`Wrote ${files.join(', ')}: ${plural(names, 'name')} (${options.names}).`));
    });
}
