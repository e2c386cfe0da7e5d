import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root: test/support/ is two levels down. */
export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Every Markdown document a reader follows links through: the front page, docs/ and the CLI's own page. */
export function documents(): string[] {
  const docs = readdirSync(path.join(repoRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join('docs', name));
  return ['README.md', path.join('cli', 'README.md'), ...docs];
}

export function readDocument(relativePath: string): string {
  return readFileSync(path.join(repoRoot, relativePath), 'utf8');
}

/** Fenced blocks, each with its info string (`mermaid`, `sh`, …). */
export function fencedBlocks(markdown: string): { info: string; body: string }[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((match) => ({ info: match[1]!.trim(), body: match[2]! }));
}

/** The prose: fenced blocks and inline code removed, so a link shown as an example is not taken for one. */
export function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Targets of inline links and images, `[text](target)`. */
export function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]!);
}

/**
 * The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as dashes, and
 * `-1`, `-2`… after a repeated one.
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutFences = markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
  for (const [, heading] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The lines of the section under a heading, up to the next heading of the same or a higher level. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#{1,6}\s/.test(line) && line.replace(/^#+\s+/, '').trim() === heading);
  if (start === -1) throw new Error(`No heading "${heading}"`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  const end = lines.findIndex((line, index) => index > start && new RegExp(`^#{1,${level}}\\s`).test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/** The body rows of every Markdown table in the text, as cells (each table's header and `---` rows left out). */
export function tableRows(markdown: string): string[][] {
  const rows: string[][] = [];
  let lineInTable = 0;
  for (const line of markdown.split('\n')) {
    lineInTable = line.startsWith('|') ? lineInTable + 1 : 0;
    if (lineInTable <= 2) continue;
    rows.push(
      line
        .replace(/^\|/, '')
        .replace(/\|$/, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** The `code` spans of a table cell, e.g. the variable names in `` `A`, `B` ``. */
export function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
}
