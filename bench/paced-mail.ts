/**
 * `node --import tsx bench/paced-mail.ts`: only the paced-mail phase, merged into an existing bench-results/report.json
 * and report.md (run `npm run bench` first for the rest). `BENCH_QUICK=1` for 1,000 recipients.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { measurePacedMail, pacedMailMarkdown } from './phases/paced-mail.ts';
import { benchSettings } from './settings.ts';

const outDir = path.join(import.meta.dirname, '..', 'bench-results');
const jsonFile = path.join(outDir, 'report.json');
const mdFile = path.join(outDir, 'report.md');

const result = await measurePacedMail(benchSettings(process.env).pacedMail);
console.log(JSON.stringify(result, null, 2));
if (existsSync(jsonFile) && existsSync(mdFile)) {
  const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(jsonFile, `${JSON.stringify({ ...report, pacedMail: result }, null, 2)}\n`);
  const markdown = readFileSync(mdFile, 'utf8');
  const at = markdown.indexOf('\n## 7. Paced mail through the queues');
  writeFileSync(mdFile, (at >= 0 ? markdown.slice(0, at) : markdown) + pacedMailMarkdown(result));
}
process.exit(0);
