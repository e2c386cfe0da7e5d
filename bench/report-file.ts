/**
 * Merges sections into bench-results/report.json for the benchmarks that can run on their own (bundles, init):
 * whatever the full run wrote stays, the named sections are replaced.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const outDir = path.join(import.meta.dirname, '..', 'bench-results');
const jsonFile = path.join(outDir, 'report.json');

export function mergeIntoReport(sections: Record<string, unknown>): void {
  mkdirSync(outDir, { recursive: true });
  const report = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(jsonFile, `${JSON.stringify({ ...report, ...sections }, null, 2)}\n`);
}
