import path from 'node:path';
import { Command, Option } from 'commander';
import { mergeTallies, type SubscriberTally } from '#shared/domain/subscriber-summary.ts';
import { wholeNumber } from '../arguments.ts';
import { downloadCsvParts } from '../csv-download.ts';
import { UsageError } from '../errors.ts';
import { Context, plural, table } from '../output.ts';

interface Filters {
  country?: string;
  topic?: string;
  locale?: string;
}

const filterOptions = (command: Command) =>
  command
    .option('--country <code>', 'only subscribers an urgent call about this country reaches (those who chose it, or no country)')
    .option('--topic <topic>', 'only subscribers of this topic (or of every topic)')
    .option('--locale <locale>', 'only subscribers reading this language (fr also matches fr-BE)');

const filtersOf = (options: Filters) => ({ country: options.country?.toUpperCase(), topic: options.topic, locale: options.locale });

export function subscribersCommand(): Command {
  const subscribers = new Command('subscribers').description('confirmed subscribers: counts and export');

  filterOptions(
    subscribers
      .command('summary')
      .description('count confirmed subscribers by locale, country, topic, urgent calls and digest')
      .option('--all-statuses', 'also count those waiting for their link and those who unsubscribed (reads the whole table: see below)')
      .addHelpText(
        'after',
        '\n--all-statuses scans the whole table (signatures, campaigns, deliveries: every item), not an index of subscribers: each run reads and bills every item, about 128 read request units per MB of table (eventually consistent reads of 8 KB per unit). Keep it for occasional checks.',
      ),
  ).action(
    async (options: Filters & { allStatuses?: boolean }, command: Command) => {
      const ctx = Context.of(command);
      let tally: SubscriberTally | undefined;
      let cursor: string | undefined;
      const statuses = options.allStatuses ? 'all' : undefined;
      do {
        const part = await ctx.client.get<SubscriberTally & { nextCursor: string | null }>('/admin/subscribers/summary', { query: { ...filtersOf(options), statuses, cursor } });
        const { nextCursor, ...counts } = part;
        tally = tally ? mergeTallies(tally, counts) : counts;
        cursor = nextCursor ?? undefined;
      } while (cursor);
      const result = tally;
      ctx.result(result, () => {
        ctx.say(`${plural(result.total, options.allStatuses ? 'subscriber' : 'confirmed subscriber')}${describeFilters(options)}`);
        if (result.total === 0) return;
        const section = (title: string, counts: Record<string, number>) => {
          ctx.say();
          for (const line of table(
            Object.entries(counts)
              .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
              .map(([key, n]) => [key, String(n)]),
            [title, 'SUBSCRIBERS'],
          )) {
            ctx.say(line);
          }
        };
        // Stored names: `unconfirmed` is waiting for its link.
        if (options.allStatuses) section('STATUS', result.byStatus);
        section('LOCALE', result.byLocale);
        section('COUNTRY', result.byCountry);
        section('TOPIC', result.byTopic);
        ctx.say();
        ctx.say(`urgent calls  on ${result.urgent.on}, off ${result.urgent.off}`);
        ctx.say(`digest        weekly ${result.digest.weekly}, none ${result.digest.none}`);
        ctx.say('(A subscriber who chose several countries or topics counts once under each; "all" is those who chose none.)');
      });
    },
  );

  filterOptions(
    subscribers
      .command('export')
      .description('download confirmed subscribers as CSV (email,name,locale,urgent,digest,countries,topics)')
      .option('-o, --output <file>', "the CSV file to write ('-' for standard output; default: subscribers.csv)")
      .addOption(new Option('--part-rows <n>', 'rows per request').argParser(wholeNumber(1, 100_000)).default(50_000).hideHelp())
      .addHelpText('after', '\nThe file is a mailing list of people who may be at risk: it is created readable by its owner only (mode 600), and every export is logged with who made it. Delete it when done.'),
  ).action(async (options: Filters & { output?: string; partRows: number }, command: Command) => {
    const ctx = Context.of(command);
    const output = options.output ?? 'subscribers.csv';
    const toStdout = output === '-';
    if (toStdout && ctx.json) throw new UsageError('--json and -o - would both write to standard output; write the CSV to a file.');
    const { counter, parts } = await downloadCsvParts({
      output,
      what: 'The export',
      fetchPart: (cursor) =>
        ctx.client.send('GET', '/admin/subscribers.csv', {
          headers: { accept: 'text/csv' },
          query: { ...filtersOf(options), rows: options.partRows, cursor },
          timeoutMs: 5 * 60_000,
        }),
    });
    ctx.result({ file: toStdout ? null : path.resolve(output), rows: counter.rows, bytes: counter.bytes, parts, filters: filtersOf(options) }, () => {
      if (toStdout) ctx.note(`${plural(counter.rows, 'subscriber')} exported.`);
      else ctx.say(`Wrote ${plural(counter.rows, 'subscriber')}${describeFilters(options)} to ${output}.`);
    });
  });

  return subscribers;
}

function describeFilters(options: Filters): string {
  const parts = [options.country && `country ${options.country.toUpperCase()}`, options.topic && `topic ${options.topic}`, options.locale && `locale ${options.locale}`].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
