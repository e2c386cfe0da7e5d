/**
 * Every function's bundle, built as the stack builds it (infra/stack/bundling.ts) from every entry in the
 * manifest, so a function added later is measured without a line here. The esbuild metafile says what is
 * left in each bundle, package by package. `node --import tsx bench/bundles.ts` prints the sizes and the
 * largest packages, and merges `bundles` into bench-results/report.json.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { manifest } from '#infra/manifest.ts';
import { functionBuildOptions } from '#infra/stack/bundling.ts';
import { round } from './stats.ts';

export interface BuiltBundle {
  name: string;
  entry: string;
  /** The minified `index.mjs`, without its source map. */
  file: string;
  kb: number;
  /** The packages (or `app` for this repository's own code) with the most bytes in the bundle. */
  largest: { from: string; kb: number }[];
}

export interface BundlesReport {
  maxKb: number;
  byFunction: Record<string, number>;
  detail: BuiltBundle[];
  /** Functions whose entry did not build, with esbuild's message. */
  failed: Record<string, string>;
}

const root = path.resolve(import.meta.dirname, '..');
export const bundlesDir = path.join(root, 'bench-results', 'bundles');

/** `node_modules/@aws-sdk/client-dynamodb/dist-es/…` → `@aws-sdk/client-dynamodb`; the repository's own files → `app`. */
function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return 'app';
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function largestPackages(metafile: Metafile, file: string, top: number): { from: string; kb: number }[] {
  const output = Object.entries(metafile.outputs).find(([name]) => path.resolve(name) === file)?.[1];
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    bytes.set(packageOf(input), (bytes.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  return [...bytes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([from, size]) => ({ from, kb: round(size / 1024, 1) }));
}

/** Builds every function of the manifest, two at a time (the machine is shared), into bench-results/bundles/<Name>/. */
export async function buildBundles(): Promise<BundlesReport> {
  rmSync(bundlesDir, { recursive: true, force: true });
  const specs = [...manifest];
  const detail: BuiltBundle[] = [];
  const failed: Record<string, string> = {};
  const worker = async () => {
    for (let spec = specs.shift(); spec; spec = specs.shift()) {
      const file = path.join(bundlesDir, spec.name, 'index.mjs');
      mkdirSync(path.dirname(file), { recursive: true });
      try {
        const { metafile } = await build({ ...functionBuildOptions(path.join(root, spec.entry), file, spec.secrets), absWorkingDir: root, metafile: true, logLevel: 'silent' });
        detail.push({ name: spec.name, entry: spec.entry, file, kb: round(statSync(file).size / 1024, 1), largest: largestPackages(metafile, file, 5) });
      } catch (error) {
        // One function that does not build is reported, and the others are still measured.
        failed[spec.name] = error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  detail.sort((a, b) => b.kb - a.kb);
  return { maxKb: Math.max(...detail.map((d) => d.kb)), byFunction: Object.fromEntries(detail.map((d) => [d.name, d.kb])), detail, failed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mergeIntoReport } = await import('./report-file.ts');
  const report = await buildBundles();
  for (const bundle of report.detail) {
    console.log(`${bundle.name.padEnd(32)} ${String(bundle.kb).padStart(7)} KB   ${bundle.largest.map((l) => `${l.from} ${l.kb}`).join(', ')}`);
  }
  for (const [name, message] of Object.entries(report.failed)) console.log(`${name.padEnd(32)} did not build: ${message}`);
  console.log(`largest: ${report.maxKb} KB over ${report.detail.length} functions`);
  mergeIntoReport({ bundles: { maxKb: report.maxKb, byFunction: report.byFunction } });
}
