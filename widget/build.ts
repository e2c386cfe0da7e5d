import path from 'node:path';
import { build } from 'esbuild';

/** The widget's source: one dependency-free custom element (see tadamon-action.ts). */
const widgetEntry = path.join(import.meta.dirname, 'tadamon-action.ts');

let cached: Promise<string> | undefined;

/**
 * Bundles the widget into one minified script (an IIFE for es2020 browsers) and returns its text; built
 * once per process and kept in memory. Needs esbuild, a development dependency: the local runtime and the
 * tests have it; on AWS the script is built at deploy time and served as a static file instead.
 */
export function buildWidget(): Promise<string> {
  cached ??= build({
    entryPoints: [widgetEntry],
    bundle: true,
    write: false,
    format: 'iife',
    minify: true,
    target: 'es2020',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  }).then(
    (result) => {
      const output = result.outputFiles[0];
      if (!output) throw new Error('esbuild produced no output for the widget');
      return output.text;
    },
    (error: unknown) => {
      cached = undefined; // a later call may succeed (the source being edited, say)
      throw error;
    },
  );
  return cached;
}
