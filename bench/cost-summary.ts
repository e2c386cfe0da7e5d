/**
 * The cost figures of the report: per million signatures without email (bench/cost.ts, the per-signature model)
 * and the fixed monthly cost of prod and dev (infra/analysis/fixed-cost.ts, from the synthesized templates).
 * `node --import tsx bench/cost-summary.ts` computes them with the counter-write rates phase 3 last measured
 * (docs/benchmarks.md) and merges `cost` into bench-results/report.json.
 */
import { stackOf } from '#infra/analysis/capacity.ts';
import { fixedCost, templatesOf } from '#infra/analysis/fixed-cost.ts';
import { costModel, type CostInputs, type CostModel } from './cost.ts';

export interface CostSummary {
  perMillionWithoutEmailUsd: number;
  fixedMonthlyUsd: { prod: number; dev: number };
  /** Whether the counter-write rates were measured in this run (phase 3) or the last measured ones. */
  countingRates: 'measured' | 'last measured';
}

/** One counting transaction per 50 signatures and a milestone claim per 1,000: what phase 3 last measured. */
export const lastMeasuredRates: CostInputs = { countingWritesPerSignature: 0.02, milestoneWritesPerSignature: 0.001 };

export function costSummary(model: CostModel, measured: boolean): CostSummary {
  const [prod, dev] = (['prod', 'dev'] as const).map((stage) => fixedCost(templatesOf(stackOf({ stage }).stack)).total);
  return { perMillionWithoutEmailUsd: model.costPerMillionUsd.excludingEmail, fixedMonthlyUsd: { prod: prod!, dev: dev! }, countingRates: measured ? 'measured' : 'last measured' };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mergeIntoReport } = await import('./report-file.ts');
  const model = costModel(lastMeasuredRates);
  const cost = costSummary(model, false);
  console.log(JSON.stringify({ cost, perMillionUsd: model.costPerMillionUsd, perSignatureWru: model.perSignature.wru }, null, 2));
  mergeIntoReport({ cost, costDetail: model });
}
