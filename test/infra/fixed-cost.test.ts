import { describe, expect, it } from 'vitest';
import { readDocument, section, tableRows } from '#test/support/markdown.ts';
import { fixedCost, prices, templatesOf } from '#infra/analysis/fixed-cost.ts';
import { buildApp } from './synth.ts';

/** The last dollar amount in a cell (`30 × $0.10 = **$3.00**` is 3). */
const dollars = (cell: string | undefined) => Number([...(cell ?? '').matchAll(/\$(\d+(?:\.\d+)?)/g)].at(-1)?.[1] ?? NaN);
const budgets = { prod: 5, dev: 2 } as const;

describe('the fixed monthly cost (docs/operating.md), recomputed from the templates', () => {
  const table = tableRows(section(readDocument('docs/operating.md'), 'Fixed monthly cost'));
  const column = { prod: 1, dev: 2 } as const;

  for (const stage of ['prod', 'dev'] as const) {
    it(`${stage}: every line and the total match the synthesized templates, within $${budgets[stage]} a month`, () => {
      const { stack } = buildApp({ stage });
      const cost = fixedCost(templatesOf(stack));
      for (const line of cost.lines) {
        const row = table.find((cells) => cells[0] === line.item);
        expect(row, `a row for ${line.item}`).toBeDefined();
        const cell = row![column[stage]];
        expect(dollars(cell), `${stage}: ${line.item}`).toBeCloseTo(line.usd, 2);
        expect(Number(/^(\d+)/.exec(cell ?? '')?.[1]), `${stage}: how many ${line.item}`).toBe(line.count);
      }
      const total = table.find((cells) => cells[0] === '**total**');
      expect(dollars(total?.[column[stage]])).toBeCloseTo(cost.total, 2);
      expect(cost.total).toBeLessThanOrEqual(budgets[stage]);
    });
  }

  it('counts what a metric-math alarm reads, and a dashboard over 50 metrics as paid', () => {
    const alarm = (metrics?: number) => ({ Type: 'AWS::CloudWatch::Alarm', Properties: metrics ? { Metrics: [...Array.from({ length: metrics }, () => ({ MetricStat: {} })), { Expression: 'SUM(...)' }] } : {} });
    const dashboard = (metrics: number) => ({ Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: JSON.stringify({ widgets: [{ properties: { metrics: Array.from({ length: metrics }, () => ['A', 'B']) } }] }) } });
    const cost = fixedCost([{ a: alarm(), b: alarm(3), c: dashboard(50), d: dashboard(51) }]);
    expect(cost.lines.find((line) => line.item === 'alarm metrics')).toEqual({ item: 'alarm metrics', count: 4, usd: 4 * prices.alarmMetric });
    expect(cost.lines.find((line) => line.item.startsWith('dashboards'))).toMatchObject({ count: 1, usd: prices.dashboard });
  });
});
