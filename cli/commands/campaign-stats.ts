import { writeFile } from 'node:fs/promises';
import asciichart from 'asciichart';
import { Command, Option } from 'commander';
import { countryName, statsPictureSvg, topCountries, type SeriesPoint } from '#shared/charts/signatures-chart.ts';
import { formatNumber, mailLocale } from '#shared/i18n/locales.ts';
import { UsageError } from '../errors.ts';
import { Context } from '../output.ts';

interface Stats {
  interval: 'hour' | 'day';
  series: SeriesPoint[];
  byCountry: Record<string, number>;
}

/** At most this many columns of chart in the terminal: a longer series is summed into wider buckets. */
const terminalColumns = 72;

/** The series summed into at most `columns` buckets, so a campaign of years still fits a terminal line. */
export function squeezed(values: readonly number[], columns = terminalColumns): number[] {
  if (values.length <= columns) return [...values];
  const size = Math.ceil(values.length / columns);
  const out: number[] = [];
  for (let start = 0; start < values.length; start += size) out.push(values.slice(start, start + size).reduce((sum, value) => sum + value, 0));
  return out;
}

/** The stats in a terminal: the series as an asciichart plot and the top countries as bars of blocks. */
export function statsText(stats: Stats, locale: string): string[] {
  const language = mailLocale(locale);
  const values = stats.series.map((point) => point.signatures);
  const total = values.reduce((sum, value) => sum + value, 0);
  const lines: string[] = [];
  const first = stats.series[0];
  const last = stats.series.at(-1);
  if (!first || !last || total === 0) lines.push('No signatures in this period.');
  else {
    const plotted = squeezed(values);
    lines.push(asciichart.plot(plotted, { height: 10, format: (value: number) => Math.round(value).toLocaleString('en').padStart(9) }));
    const perColumn = Math.ceil(values.length / plotted.length);
    lines.push(`${' '.repeat(11)}${first.at.slice(0, stats.interval === 'hour' ? 13 : 10)} → ${last.at.slice(0, stats.interval === 'hour' ? 13 : 10)} (UTC; one column = ${perColumn} ${stats.interval}${perColumn === 1 ? '' : 's'})`);
    lines.push(`${' '.repeat(11)}${total.toLocaleString('en')} ${total === 1 ? 'signature' : 'signatures'} in this period`);
  }
  const top = topCountries(stats.byCountry);
  if (top.length) {
    lines.push('', 'Top countries:');
    const most = top[0]!.signatures;
    const names = top.map((row) => `${row.country} ${countryName(row.country, language)}`);
    const width = Math.max(...names.map((name) => name.length));
    top.forEach((row, index) => {
      const bar = '█'.repeat(Math.max(1, Math.round((row.signatures / most) * 40)));
      lines.push(`  ${names[index]!.padEnd(width)}  ${bar} ${formatNumber(language, row.signatures)}`);
    });
  }
  return lines;
}

/** SVG to PNG through resvg, with the package's fonts (Latin and Arabic) rather than whatever the machine has. */
async function png(svg: string): Promise<Buffer> {
  const [{ Resvg }, { fontPath }] = await Promise.all([import('@resvg/resvg-js'), import('#shared/delivery/fonts.ts')]);
  const rendered = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: false, fontFiles: [fontPath('regular'), fontPath('bold')], defaultFontFamily: 'Vazirmatn', sansSerifFamily: 'Vazirmatn' },
  }).render();
  return rendered.asPng();
}

export function campaignStatsCommand(): Command {
  return new Command('stats')
    .description("draw a campaign's signatures over time and its top countries in the terminal; --png or --svg write them as a picture")
    .argument('<slug>')
    .addOption(new Option('--interval <interval>', 'hour: the last 7 days, hour by hour; day: the whole campaign').choices(['hour', 'day']).default('day'))
    .option('--png <file>', 'also write the pictures as PNG')
    .option('--svg <file>', 'also write the pictures as SVG')
    .option('--locale <locale>', "the language of the pictures' labels (default: the campaign's)")
    .action(async (slug: string, options: { interval: 'hour' | 'day'; png?: string; svg?: string; locale?: string }, command: Command) => {
      const ctx = Context.of(command);
      if (options.png && options.svg) throw new UsageError('Give --png or --svg, not both.');
      const path = `/admin/campaigns/${encodeURIComponent(slug)}`;
      const [stats, campaign] = await Promise.all([
        ctx.client.json<Stats>('GET', `/campaigns/${encodeURIComponent(slug)}/stats`, { query: { interval: options.interval } }),
        ctx.client.json<{ title: string; locale: string }>('GET', path),
      ]);
      const locale = options.locale ?? campaign.locale;
      const picture = options.png ?? options.svg;
      if (picture) {
        const svg = statsPictureSvg(stats, { locale, title: campaign.title });
        await writeFile(picture, options.png ? await png(svg) : svg);
      }
      ctx.result({ ...stats, ...(picture ? { written: picture } : {}) }, () => {
        for (const line of statsText(stats, locale)) ctx.say(line);
        if (picture) ctx.say(`\nWrote ${picture}.`);
      });
    });
}
