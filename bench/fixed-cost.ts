/**
 * `node --import tsx bench/fixed-cost.ts`: the fixed monthly cost of prod and dev (infra/analysis/fixed-cost.ts)
 * as the rows of the table in docs/operating.md, which test/infra/fixed-cost.test.ts holds to the templates.
 */
import { stackOf } from '#infra/analysis/capacity.ts';
import { type CostLine, fixedCost, templatesOf } from '#infra/analysis/fixed-cost.ts';

const [prod, dev] = (['prod', 'dev'] as const).map((stage) => fixedCost(templatesOf(stackOf({ stage }).stack)));
const cell = (line: CostLine | undefined) => (line ? `${line.count} = **$${line.usd.toFixed(2)}**` : '');
for (const line of prod!.lines) console.log(`| ${line.item} | ${cell(line)} | ${cell(dev!.lines.find((other) => other.item === line.item))} |`);
console.log(`| **total** | **$${prod!.total.toFixed(2)}** | **$${dev!.total.toFixed(2)}** |`);
