import { scaleBand, scaleLinear, scaleUtc } from 'd3-scale';
import { area, curveMonotoneX, line } from 'd3-shape';
import { formatNumber, intlLocale, mailLocale, textDirection, type MailLocale } from '#shared/i18n/locales.ts';
import { chartStrings } from '#shared/i18n/strings/charts.ts';

/** One bucket of the stats series (GET /campaigns/{slug}/stats). */
export interface SeriesPoint {
  at: string;
  signatures: number;
}

export interface ChartOptions {
  locale?: string | undefined;
  /** Above the picture, and its accessible name; by default "Signatures over time" in the locale. */
  title?: string;
  interval?: 'hour' | 'day';
  width?: number;
  height?: number;
  /** Prefix of the ids that tie the title and description to the picture: unique within one page. */
  id?: string;
}

const font = "font-family=\"Vazirmatn, 'Noto Sans Arabic', system-ui, sans-serif\"";
const colours = { line: '#b3261e', area: '#b3261e33', axis: '#5f6368', text: '#202124', grid: '#e0e0e0', bar: '#1a73e8' } as const;

/**
 * Signatures over time as a small SVG, drawn on the server: scales and the path from d3-scale and d3-shape (no
 * DOM needed, so the same code runs in a Lambda and the CLI). The picture is `role="img"` named by its <title>
 * and described by a sentence with the numbers that matter (total, span, peak); `signaturesTable` gives every
 * number for those who want them. Right to left, time runs from right to left, the counts stand on the right and
 * labels are anchored by their visual ends: the picture itself is `direction="ltr"`, so that an Arabic page's
 * `dir="rtl"` does not turn every anchor round in browsers (resvg, for the CLI's PNG, ignores it), and only the
 * dates, which mix numbers and words, are set `rtl`. Arabic names read right to left by themselves.
 */
export function signaturesChartSvg(series: readonly SeriesPoint[], options: ChartOptions = {}): string {
  const locale = mailLocale(options.locale);
  const strings = chartStrings[locale];
  const rtl = textDirection(locale) === 'rtl';
  const { width = 640, height = 240, id = 'signatures-chart', interval = 'day' } = options;
  const title = options.title ?? strings.overTime;
  // Room at the start for the last time label to stand centred under its point, at the end for the counts.
  const margin = { top: 16, bottom: 32, start: 36, end: 48 };
  const [left, right] = rtl ? [margin.start, width - margin.end] : [margin.end, width - margin.start];
  const points = series.map((point) => ({ at: new Date(point.at), signatures: point.signatures }));
  const when = dateFormat(locale, interval);

  const first = points[0]?.at ?? new Date(0);
  const last = points.at(-1)?.at ?? first;
  const x = scaleUtc()
    .domain([first, last.getTime() === first.getTime() ? new Date(first.getTime() + 3_600_000) : last])
    .range(rtl ? [right, left] : [left, right]);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...points.map((point) => point.signatures))])
    .nice(4)
    .range([height - margin.bottom, margin.top]);

  const linePath = line<(typeof points)[number]>()
    .x((point) => x(point.at))
    .y((point) => y(point.signatures))
    .curve(curveMonotoneX)(points);
  const areaPath = area<(typeof points)[number]>()
    .x((point) => x(point.at))
    .y0(y(0))
    .y1((point) => y(point.signatures))
    .curve(curveMonotoneX)(points);

  const yTicks = y.ticks(4).filter(Number.isInteger);
  const xTicks = points.length > 1 ? x.ticks(4) : [first];
  const axisX = rtl ? right + 6 : left - 6;
  const anchorY = rtl ? 'start' : 'end';
  const grid = yTicks
    .map(
      (tick) =>
        `<line x1="${left}" x2="${right}" y1="${round(y(tick))}" y2="${round(y(tick))}" stroke="${colours.grid}"/>` +
        `<text x="${axisX}" y="${round(y(tick))}" dy="0.32em" text-anchor="${anchorY}" font-size="11" fill="${colours.axis}">${escape(formatNumber(locale, tick))}</text>`,
    )
    .join('');
  const timeLabels = xTicks
    .map(
      (tick) =>
        `<text x="${round(x(tick))}" y="${height - margin.bottom + 18}" text-anchor="middle"${rtl ? ' direction="rtl"' : ''} font-size="11" fill="${colours.axis}">${escape(when(tick))}</text>`,
    )
    .join('');

  const description = describeSeries(series, locale, interval);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" lang="${locale}" direction="ltr" ${font}>`,
    `<title id="${id}-title">${escape(title)}</title>`,
    `<desc id="${id}-desc">${escape(description)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<g aria-hidden="true">`,
    grid,
    points.length ? `<path d="${areaPath ?? ''}" fill="${colours.area}" stroke="none"/>` : '',
    points.length ? `<path d="${linePath ?? ''}" fill="none" stroke="${colours.line}" stroke-width="2"/>` : '',
    `<line x1="${left}" x2="${right}" y1="${round(y(0))}" y2="${round(y(0))}" stroke="${colours.axis}"/>`,
    timeLabels,
    `</g>`,
    `</svg>`,
  ].join('');
}

/** The series in one sentence: the total, its span and its peak (the chart's <desc>, and its caption). */
export function describeSeries(series: readonly SeriesPoint[], locale: string | undefined, interval: 'hour' | 'day' = 'day'): string {
  const language = mailLocale(locale);
  const strings = chartStrings[language];
  const total = series.reduce((sum, point) => sum + point.signatures, 0);
  const first = series[0];
  const last = series.at(-1);
  if (!first || !last || total === 0) return strings.noSignaturesYet;
  const peak = series.reduce((best, point) => (point.signatures > best.signatures ? point : best), first);
  const when = dateFormat(language, interval);
  return strings.overTimeSummary(
    formatNumber(language, total),
    when(new Date(first.at)),
    when(new Date(last.at)),
    formatNumber(language, peak.signatures),
    when(new Date(peak.at)),
  );
}

/** Every bucket as an HTML table: the chart's numbers for readers who want them all (screen readers, copy). */
export function signaturesTable(series: readonly SeriesPoint[], options: { locale?: string | undefined; interval?: 'hour' | 'day' } = {}): string {
  const locale = mailLocale(options.locale);
  const strings = chartStrings[locale];
  const when = dateFormat(locale, options.interval ?? 'day');
  const rows = series
    .filter((point) => point.signatures > 0)
    .map((point) => `<tr><th scope="row">${escape(when(new Date(point.at)))}</th><td>${escape(formatNumber(locale, point.signatures))}</td></tr>`)
    .join('');
  return `<table><thead><tr><th scope="col">${escape(strings.period)}</th><th scope="col">${escape(strings.signatures)}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The countries with the most signatures, most first (ties by code), and what the rest add up to. */
export function topCountries(byCountry: Readonly<Record<string, number>>, limit = 5): Array<{ country: string; signatures: number }> {
  return Object.entries(byCountry)
    .filter(([, signatures]) => signatures > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, limit)
    .map(([country, signatures]) => ({ country, signatures }));
}

export function countryName(code: string, locale: MailLocale): string {
  if (!/^[A-Z]{2}$/.test(code)) return chartStrings[locale].otherCountries;
  return new Intl.DisplayNames([intlLocale(locale)], { type: 'region', fallback: 'code' }).of(code) ?? code;
}

/**
 * The top countries as a bar list: a name and a bar whose length is its share of the first, with the number
 * written beside it (the bar is decoration; the <desc> says the same in words).
 */
export function topCountriesSvg(byCountry: Readonly<Record<string, number>>, options: Omit<ChartOptions, 'title'> & { title?: string | undefined; limit?: number } = {}): string {
  const locale = mailLocale(options.locale);
  const strings = chartStrings[locale];
  const rtl = textDirection(locale) === 'rtl';
  const rows = topCountries(byCountry, options.limit ?? 5);
  const { width = 640, id = 'top-countries' } = options;
  const rowHeight = 26;
  const height = Math.max(1, rows.length) * rowHeight + 8;
  const labelWidth = 170;
  const numberWidth = 70;
  const band = scaleBand<string>()
    .domain(rows.map((row) => row.country))
    .range([4, height - 4])
    .paddingInner(0.25);
  const length = scaleLinear()
    .domain([0, rows[0]?.signatures ?? 1])
    .range([0, width - labelWidth - numberWidth - 16]);
  const description = rows.length
    ? strings.countriesSummary(rows.map((row) => `${countryName(row.country, locale)} ${formatNumber(locale, row.signatures)}`).join(locale === 'ar' ? '، ' : ', '))
    : strings.noSignaturesYet;
  const bars = rows
    .map((row) => {
      const top = band(row.country) ?? 0;
      const middle = round(top + band.bandwidth() / 2);
      const barLength = Math.max(1, round(length(row.signatures)));
      const barStart = rtl ? width - labelWidth - 8 - barLength : labelWidth + 8;
      const labelX = rtl ? width - 10 : 4;
      const numberX = rtl ? barStart - 6 : barStart + barLength + 6;
      return (
        `<text x="${labelX}" y="${middle}" dy="0.32em" text-anchor="${rtl ? 'end' : 'start'}" font-size="13" fill="${colours.text}">${escape(countryName(row.country, locale))}</text>` +
        `<rect x="${barStart}" y="${round(top)}" width="${barLength}" height="${round(band.bandwidth())}" fill="${colours.bar}"/>` +
        `<text x="${numberX}" y="${middle}" dy="0.32em" text-anchor="${rtl ? 'end' : 'start'}" font-size="12" fill="${colours.text}">${escape(formatNumber(locale, row.signatures))}</text>`
      );
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" lang="${locale}" direction="ltr" ${font}>`,
    `<title id="${id}-title">${escape(options.title ?? strings.topCountries)}</title>`,
    `<desc id="${id}-desc">${escape(description)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<g aria-hidden="true">${bars}</g>`,
    `</svg>`,
  ].join('');
}

function dateFormat(locale: MailLocale, interval: 'hour' | 'day'): (date: Date) => string {
  const format = new Intl.DateTimeFormat(
    intlLocale(locale),
    interval === 'hour' ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' } : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
  );
  return (date) => format.format(date);
}

const round = (value: number) => Math.round(value * 10) / 10;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Both pictures one above the other in one SVG (the CLI's `--svg` and `--png`), each keeping its own name. */
export function statsPictureSvg(stats: { interval: 'hour' | 'day'; series: readonly SeriesPoint[]; byCountry: Readonly<Record<string, number>> }, options: ChartOptions = {}): string {
  const width = options.width ?? 640;
  const chart = signaturesChartSvg(stats.series, { ...options, width, interval: stats.interval });
  const countries = topCountriesSvg(stats.byCountry, { ...options, width, title: undefined });
  const chartHeight = options.height ?? 240;
  const countriesHeight = Number(/height="(\d+(?:\.\d+)?)"/.exec(countries)?.[1] ?? 0);
  const place = (svg: string, y: number) => svg.replace('<svg ', `<svg x="0" y="${y}" `);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${chartHeight + countriesHeight + 12}" width="${width}" height="${chartHeight + countriesHeight + 12}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${place(chart, 0)}${place(countries, chartHeight + 12)}</svg>`
  );
}
