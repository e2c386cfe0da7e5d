import { Command } from 'commander';
import type { Counts } from '#shared/domain/campaign.ts';
import { wholeNumber } from '../arguments.ts';
import { Context, plural, table } from '../output.ts';
import { slugPath } from './campaign.ts';

interface OffsetChange {
  at: string;
  by: string;
  previous: number;
  offset: number;
  reason: string;
}

export function offsetCommand(): Command {
  const offset = new Command('offset').description("a campaign's offset: actions taken elsewhere (paper forms, partner sites) added to its count");

  offset
    .command('set')
    .alias('SET')
    .description('set the offset; every change is kept in an audit trail with its reason')
    .argument('<slug>')
    .argument('<n>', 'the new offset, a whole number >= 0', wholeNumber(0, 1_000_000_000))
    .requiredOption('--reason <text>', 'why (kept in the audit trail), e.g. "paper forms from the vigil"')
    .action(async (slug: string, n: number, options: { reason: string }, command: Command) => {
      const ctx = Context.of(command);
      const counts = await ctx.client.json<Counts>('PUT', `${slugPath(slug)}/offset`, { body: { offset: n, reason: options.reason } });
      ctx.result(counts, () =>
        ctx.say(`Offset of ${slug} is ${counts.offset}: total ${counts.total} = ${plural(counts.signatures, 'signature')} + ${counts.offset} offset.`),
      );
    });

  offset
    .command('history')
    .description("the offset's audit trail, newest first")
    .argument('<slug>')
    .action(async (slug: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const items = await ctx.client.all<OffsetChange>(`${slugPath(slug)}/offset-history`);
      ctx.result({ items }, () => {
        if (items.length === 0) return ctx.say(`The offset of ${slug} has never been set.`);
        for (const line of table(
          items.map((c) => [c.at, c.by, `${c.previous} → ${c.offset}`, c.reason]),
          ['AT', 'BY', 'CHANGE', 'REASON'],
          100,
        )) {
          ctx.say(line);
        }
      });
    });

  return offset;
}
