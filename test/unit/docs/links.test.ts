import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documents, headingAnchors, linkTargets, readDocument, repoRoot } from '#test/support/markdown.ts';

/** A link this repository can check: not to another site, not an email address. */
const isRelative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target);

describe('relative links in the documentation', () => {
  it('finds the documents and their links', () => {
    // Guards the tests below against passing because nothing was read.
    expect(documents()).toEqual(expect.arrayContaining(['README.md', path.join('cli', 'README.md'), path.join('docs', 'operating.md')]));
    expect(linkTargets(readDocument('README.md')).filter(isRelative).length).toBeGreaterThan(5);
  });

  for (const document of documents()) {
    it(`${document}: every relative link names a file or folder that exists, and a heading that exists in it`, () => {
      const broken: string[] = [];
      for (const target of linkTargets(readDocument(document)).filter(isRelative)) {
        const [file = '', anchor] = target.split('#');
        const resolved = file === '' ? path.join(repoRoot, document) : path.resolve(repoRoot, path.dirname(document), decodeURI(file));
        if (!resolved.startsWith(repoRoot) || !existsSync(resolved)) {
          broken.push(`${target}: no such file`);
          continue;
        }
        if (anchor !== undefined && resolved.endsWith('.md') && statSync(resolved).isFile()) {
          const anchors = headingAnchors(readDocument(path.relative(repoRoot, resolved)));
          if (!anchors.has(anchor)) broken.push(`${target}: no heading with that anchor`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});

describe('heading anchors', () => {
  it('are made the way GitHub makes them', () => {
    const anchors = headingAnchors("# Tests\n## The local runtime (`npm start`)\n## Safety of supporters' data\n## Tests\n```sh\n# not a heading\n```\n");
    expect([...anchors]).toEqual(['tests', 'the-local-runtime-npm-start', 'safety-of-supporters-data', 'tests-1']);
  });
});
