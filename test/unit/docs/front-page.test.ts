import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifest } from '#infra/manifest.ts';
import { documents, fencedBlocks, readDocument, repoRoot, section } from '#test/support/markdown.ts';

const readme = readDocument('README.md');

describe('README.md, the front page', () => {
  it('stays a front page: at most 200 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
  });

  it('gives a newcomer two commands, and CI runs the same test command', () => {
    const [commands] = fencedBlocks(section(readme, 'Two commands'));
    const lines = commands!.body
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(lines).toEqual(['npm ci && npm start', 'npm test']);
    const ci = readFileSync(path.join(repoRoot, '.ci/run'), 'utf8').split('\n').map((line) => line.trim());
    expect(ci).toContain('npm test');
  });

  it('names in its layout only folders that exist, and every source folder', () => {
    const layout = fencedBlocks(section(readme, 'Layout'))[0]!.body;
    const named = [...layout.matchAll(/^(\S+)\/\s/gm)].map((match) => match[1]!);
    for (const folder of named) expect(existsSync(path.join(repoRoot, folder)), folder).toBe(true);
    const tsconfig = JSON.parse(readFileSync(path.join(repoRoot, 'tsconfig.json'), 'utf8')) as { include: string[] };
    const sourceFolders = tsconfig.include.filter((entry) => !entry.includes('*'));
    expect(named).toEqual(expect.arrayContaining([...sourceFolders, 'scripts', 'docs']));
    // Subfolders of the two folders whose layout line lists them.
    for (const parent of ['functions', 'test']) {
      const line = layout.split('\n').find((text) => text.startsWith(`${parent}/`))!;
      const subfolders = readdirSync(path.join(repoRoot, parent)).filter((name) => statSync(path.join(repoRoot, parent, name)).isDirectory());
      for (const subfolder of subfolders) expect(line, `${parent}/${subfolder}`).toContain(`${subfolder}/`);
    }
  });
});

describe('diagrams in the documentation', () => {
  const functionNames = new Set(manifest.map((spec) => spec.name));

  for (const document of documents()) {
    it(`${document}: every function a mermaid diagram names is a function of infra/manifest.ts`, () => {
      const labels = fencedBlocks(readDocument(document))
        .filter((block) => block.info === 'mermaid')
        .flatMap((block) => [...block.body.matchAll(/\w\[([^\]()]+)\]/g)].map((match) => match[1]!.trim()));
      // Function names are PascalCase words run together (CreateSignature); other nodes are plain words.
      const unknown = labels.filter((label) => /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+$/.test(label) && !functionNames.has(label));
      expect(unknown).toEqual([]);
    });
  }
});

describe('wording', () => {
  for (const document of documents()) {
    it(`${document} speaks of the software, not of how it was planned`, () => {
      expect(readDocument(document)).not.toMatch(/\bissues? #?\d+/i);
    });
  }
});
