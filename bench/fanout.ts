/**
 * `npm run bench:fanout`: only the fan-out phase, merged into an existing bench-results/report.json and
 * report.md (run `npm run bench` first for the rest). Useful while working on the sender.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fanoutMarkdown, measureFanout } from './phases/fanout.ts';
import { benchSettings } from './settings.ts';

const outDir = path.join(import.meta.dirname, '..', 'bench-results');
const jsonFile = path.join(outDir, 'report.json');
const mdFile = path.join(outDir, 'report.md');
if (!existsSync(jsonFile)) throw new Error('Run `npm run bench` first: this only replaces its fan-out section.');

const result = await measureFanout(benchSettings(process.env).fanout);
const { perSecond: _perSecond, outreach: _outreach, ...summary } = result;
const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, unknown>;
writeFileSync(jsonFile, `${JSON.stringify({ ...report, fanout: summary, fanoutDetail: result }, null, 2)}\n`);
const markdown = readFileSync(mdFile, 'utf8');
const at = markdown.indexOf('\n## 5. Urgent-call fan-out');
writeFileSync(mdFile, (at >= 0 ? markdown.slice(0, at) : markdown) + fanoutMarkdown(result));
console.log(JSON.stringify(summary));
