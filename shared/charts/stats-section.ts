import { mailLocale } from '#shared/i18n/locales.ts';
import { chartStrings } from '#shared/i18n/strings/charts.ts';
import { describeSeries, signaturesChartSvg, signaturesTable, topCountriesSvg, type SeriesPoint } from './signatures-chart.ts';

export interface StatsForPage {
  interval: 'hour' | 'day';
  series: readonly SeriesPoint[];
  byCountry: Readonly<Record<string, number>>;
}

/**
 * The pictures of a campaign's numbers for its page (the page puts them in a section of their own): signatures
 * over time and the top countries, each an image with its own name and description, then every number in a
 * table behind a <details> (the text alternative that has all of them). Nothing when there is nothing to show yet.
 */
export function statsSection(stats: StatsForPage, locale: string): string {
  const words = mailLocale(locale);
  const t = chartStrings[words];
  const total = stats.series.reduce((sum, point) => sum + point.signatures, 0);
  if (total === 0 && Object.keys(stats.byCountry).length === 0) return '';
  const fluid = (svg: string) => svg.replace('<svg ', '<svg style="max-width:100%;height:auto" ');
  return [
    `<h2 id="stats-heading">${escape(t.overTime)}</h2>`,
    `<figure>${fluid(signaturesChartSvg(stats.series, { locale: words, interval: stats.interval, id: 'stats-over-time' }))}`,
    `<figcaption>${escape(describeSeries(stats.series, words, stats.interval))}</figcaption></figure>`,
    `<h3>${escape(t.topCountries)}</h3>`,
    fluid(topCountriesSvg(stats.byCountry, { locale: words, id: 'stats-countries' })),
    `<details><summary>${escape(t.allNumbers)}</summary>${signaturesTable(stats.series, { locale: words, interval: stats.interval })}</details>`,
  ].join('');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
