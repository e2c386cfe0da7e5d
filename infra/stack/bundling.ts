import type { BuildOptions } from 'esbuild';

/**
 * How every function is bundled, in esbuild's own words: the stack hands these to NodejsFunction
 * (tadamon-function.ts) and the bundle and cold-start benchmarks (bench/bundles.ts) build with the very same,
 * so what is measured is what is deployed.
 */
export const functionBundling = {
  platform: 'node',
  format: 'esm',
  target: 'node24',
  // ESM entry points first: the AWS SDK's and Smithy's `module` builds are the ones esbuild can tree-shake.
  mainFields: ['module', 'main'],
  // esbuild's ESM output has no `require`; some bundled CommonJS dependencies still call it.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  charset: 'utf8',
  // Bundle the AWS SDK too: the versions in package-lock.json are the versions that run.
  external: [] as string[],
  // On Lambda the credentials are in the environment: the SDK's whole default chain is left out (lambda-credentials.ts).
  // fontkit's WOFF2 decoder is left out too: the fonts the functions embed are TrueType (no-woff2.ts).
  // So are Smithy's event-stream codecs: no operation the functions call streams events (no-event-streams.ts).
  alias: {
    '@aws-sdk/credential-provider-node': './infra/stack/lambda-credentials.ts',
    'brotli/decompress.js': './infra/stack/no-woff2.ts',
    '@smithy/core/event-streams': './infra/stack/no-event-streams.ts',
  },
} as const;

/**
 * What one function's bundle is built knowing about it. A function given no secret (its manifest entry names
 * none) never reads Secrets Manager: with `TADAMON_BUNDLED_SECRETS` empty, shared/config.ts returns before the
 * client's import, and esbuild leaves the client out of that bundle.
 */
export function functionDefines(secrets: readonly string[] | undefined): Record<string, string> {
  return { 'process.env.TADAMON_BUNDLED_SECRETS': JSON.stringify((secrets ?? []).join(',')) };
}

/** The options for one function's bundle, as the benchmarks build it (NodejsFunction adds the same entry and output). */
export function functionBuildOptions(entry: string, outfile: string, secrets?: readonly string[]): BuildOptions {
  const { banner, ...options } = functionBundling;
  return {
    ...options,
    banner: { js: banner },
    external: [...options.external],
    mainFields: [...options.mainFields],
    alias: { ...options.alias },
    define: functionDefines(secrets),
    entryPoints: [entry],
    outfile,
    bundle: true,
  };
}
