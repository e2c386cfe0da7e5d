import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeSpans, readDocument, repoRoot, section, tableRows } from '#test/support/markdown.ts';

const configuration = readDocument('docs/configuration.md');

/** The variables named in the first column of a section's table. */
function documented(heading: string): string[] {
  return tableRows(section(configuration, heading)).flatMap((row) => codeSpans(row[0] ?? '')).sort();
}

/** The keys of the zod schema in shared/config.ts: the settings every function reads. */
function configSchemaVariables(): string[] {
  const source = readFileSync(path.join(repoRoot, 'shared/config.ts'), 'utf8');
  const schema = /const schema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(source)?.[1];
  if (!schema) throw new Error('shared/config.ts: no `const schema = z.object({ … });` found');
  return [...schema.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]!).sort();
}

/** What the local runtime reads from its own environment (infra/local/*.ts). */
function localRuntimeVariables(): string[] {
  const directory = path.join(repoRoot, 'infra/local');
  const names = new Set<string>();
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(path.join(directory, file), 'utf8');
    for (const match of source.matchAll(/\b(?:process\.env|env)\.([A-Z][A-Z0-9_]*)|\benv\[\s*'([A-Z][A-Z0-9_]*)'|\brate\('([A-Z][A-Z0-9_]*)'\)/g)) {
      names.add((match[1] ?? match[2] ?? match[3])!);
    }
  }
  return [...names].sort();
}

describe('docs/configuration.md', () => {
  it("documents every variable of shared/config.ts's schema, and no other, as the functions' settings", () => {
    const schema = configSchemaVariables();
    expect(schema).toContain('TOKEN_SECRET');
    expect(documented("The functions' settings")).toEqual(schema);
  });

  it("documents what the local runtime reads beyond the functions' settings, and nothing it does not read", () => {
    const schema = new Set(configSchemaVariables());
    const localOnly = localRuntimeVariables().filter((name) => !schema.has(name));
    expect(localOnly).toContain('DATA_DIR');
    expect(documented("The local runtime's settings")).toEqual(localOnly);
  });
});
