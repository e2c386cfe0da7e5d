import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The text of a PDF as poppler's pdftotext reads it (poppler-utils; .ci/run installs it), in reading order. */
export function pdfText(pdf: Uint8Array): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
}

export function pdfPages(pdf: Uint8Array): number {
  const info = execFileSync('pdfinfo', ['-'], { input: pdf }).toString('utf8');
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** The first page rendered to PNG by pdftoppm, written to `file`: to look at, and proof that it renders. */
export function renderFirstPage(pdf: Uint8Array, file: string): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'tadamon-pdf-'));
  try {
    writeFileSync(path.join(dir, 'in.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '72', '-f', '1', '-l', '1', '-singlefile', path.join(dir, 'in.pdf'), path.join(dir, 'page')]);
    const png = readFileSync(path.join(dir, 'page.png'));
    writeFileSync(file, png);
    return png;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Text to compare: pdftotext wraps right-to-left lines in bidi controls and, where the font places a mark
 * (shadda, tanwin) by offset, sets the mark apart from its letter. Both are dropped, and runs of spaces made one.
 * (It also writes the lam-alef ligature's two letters turned round: compare words without "لا".)
 */
export function plain(text: string): string {
  return text
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\p{Mn}/gu, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n');
}
