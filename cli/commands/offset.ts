import { Command, InvalidArgumentError } from 'commander';
import type { Counts } from '#shared/domain/campaign.ts';
import { wholeNumber } from '../arguments.ts';
import { UsageError } from '../errors.ts';
import { Context, plural, table } from '../output.ts';
import { slugPath } from './campaign.ts';

interface OffsetChange {
  at: string;
  by: string;
  partner?: string;
  previous: number;
  offset: number;
  reason: string;
}

export function offsetCommand(): Command {
  const offset = new Command('offset').description("a campaign's offset: actions taken elsewhere (paper forms, partner sites) added to its count");

  offset
    .command('set')
    .alias('SET')
    .description(
      "set the offset, or with --partner that partner's count (it replaces the partner's last one; the offset is the sum of the partners'); every change is kept in an audit trail with its reason",
    )
    .argument('<slug>')
    .argument('<n>', 'the new offset (or partner count), a whole number >= 0', wholeNumber(0, 1_000_000_000))
    .requiredOption('--reason <text>', 'why (kept in the audit trail), e.g. "paper forms from the vigil"')
    .option('--partner <id>', 'the partner whose count this is, e.g. amnesty-fr (lower-case letters, digits, hyphens)')
    .option('--country <CC=N>', "with --partner: part of the count from one country, e.g. --country FR=80 (repeat it)", collectCountry, {})
    .action(async (slug: string, n: number, options: { reason: string; partner?: string; country: Record<string, number> }, command: Command) => {
      const ctx = Context.of(command);
      const byCountry = Object.keys(options.country).length > 0 ? options.country : undefined;
      if (byCountry && !options.partner) throw new UsageError('--country needs --partner: the campaign\'s own offset has no breakdown; use --partner default.');
      const counts = options.partner
        ? await ctx.client.json<Counts>('PUT', `${slugPath(slug)}/offsets/${encodeURIComponent(options.partner)}`, {
            body: { count: n, reason: options.reason, ...(byCountry ? { byCountry } : {}) },
          })
        : await ctx.client.json<Counts>('PUT', `${slugPath(slug)}/offset`, { body: { offset: n, reason: options.reason } });
      ctx.result(counts, () =>
        ctx.say(
          `${options.partner ? `${options.partner} counts ${n}; offset` : 'Offset'} of ${slug} is ${counts.offset}: total ${counts.total} = ${plural(counts.signatures, 'signature')} + ${counts.offset} offset.`,
        ),
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
          items.map((c) => [c.at, c.by, c.partner ?? 'default', `${c.previous} → ${c.offset}`, c.reason]),
          ['AT', 'BY', 'PARTNER', 'CHANGE', 'REASON'],
          100,
        )) {
          ctx.say(line);
        }
      });
    });

  return offset;
}

/** `--country FR=80`, repeated: the partner's breakdown per country (the API checks the codes and the sum). */
function collectCountry(value: string, previous: Record<string, number>): Record<string, number> {
  const match = /^([A-Za-z]{2})=(\d{1,10})$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('Use CC=N, such as FR=80.');
  return { ...previous, [match[1]!.toUpperCase()]: Number(match[2]) };
}
