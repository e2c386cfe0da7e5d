import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifest, type SecretName } from '#infra/manifest.ts';

/**
 * A function gets a secret's ARN and the right to read it only where its manifest entry names the secret
 * (infra/stack/tadamon-function.ts), and shared/config.ts refuses, on Lambda, to make a key without it. So the
 * manifest must name exactly what the code uses: too little fails in production, too much hands a public
 * read function the key to every link. What the code uses is read from the handler bundled as esbuild bundles
 * it for Lambda, tree-shaken, so only code the handler can reach counts: a module imported for one helper
 * does not bring the key its other helpers use.
 */

const root = path.resolve(import.meta.dirname, '..', '..');

/** Where each secret is turned into a key (shared/config.ts): a handler that can reach one needs that secret. */
const keyMakers: Record<SecretName, RegExp> = {
  links: /\bfunction purposeKey\d*\(/,
  cursors: /\bfunction cursorKey\d*\(/,
};

// Our own modules are bundled (and tree-shaken); packages stay outside, since the keys are made in our code.
const packagesOutside: Plugin = {
  name: 'packages-outside',
  setup(bundle) {
    bundle.onResolve({ filter: /^[^.#/]/ }, (args) => ({ path: args.path, external: true }));
  },
};

async function reachableSecrets(entry: string): Promise<SecretName[]> {
  const result = await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    treeShaking: true,
    logLevel: 'silent',
    plugins: [packagesOutside],
  });
  const code = result.outputFiles.map((file) => file.text).join('\n');
  return (Object.keys(keyMakers) as SecretName[]).filter((name) => keyMakers[name].test(code));
}

describe('the secrets each function is given', () => {
  const reachable = new Map<string, SecretName[]>();

  beforeAll(async () => {
    const found = await Promise.all(manifest.map(async (spec) => [spec.name, await reachableSecrets(spec.entry)] as const));
    for (const [name, secrets] of found) reachable.set(name, secrets);
  });

  it('finds the key makers at all (the check below would pass vacuously otherwise)', () => {
    expect(reachable.get('CreateSignature')).toContain('links');
    expect(reachable.get('ListCampaigns')).toContain('cursors');
  });

  it.each(manifest.map((spec) => [spec.name, spec] as const))('%s: the manifest names exactly the secrets its code can reach', (name, spec) => {
    expect([...(spec.secrets ?? [])].sort()).toEqual([...(reachable.get(name) ?? [])].sort());
  });
});
