import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '#test/support/markdown.ts';

const script = path.join(repoRoot, 'scripts/check-prerequisites.js');
const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A PATH holding only stand-ins for the given commands (shell scripts printing what the real ones print). */
function machine(commands: Record<string, string>): { path: string; chromium: string } {
  const folder = mkdtempSync(path.join(tmpdir(), 'tadamon-prerequisites-'));
  folders.push(folder);
  for (const [name, output] of Object.entries({ ...commands, chromium: '' })) {
    writeFileSync(path.join(folder, name), `#!/bin/sh\necho '${output}' >&2\n`);
    chmodSync(path.join(folder, name), 0o755);
  }
  return { path: folder, chromium: path.join(folder, 'chromium') };
}

function check(env: { path: string; chromium: string }) {
  const result = spawnSync(process.execPath, [script], { env: { PATH: env.path, CHROMIUM_PATH: env.chromium }, encoding: 'utf8', timeout: 10_000 });
  return { status: result.status, message: result.stderr };
}

const java17 = 'openjdk version "17.0.13" 2024-10-15';

describe('the check npm test runs first (scripts/check-prerequisites.js)', () => {
  const poppler = { pdftotext: 'pdftotext version 22.12.0', pdftoppm: 'pdftoppm version 22.12.0' };

  it('passes on a machine with a JDK 17, Chromium, script and poppler-utils', () => {
    expect(check(machine({ java: java17, javac: 'javac 17.0.13', script: 'script from util-linux 2.38.1', ...poppler }))).toEqual({ status: 0, message: '' });
  });

  it('names poppler-utils when the PDF tools are missing', () => {
    const result = check(machine({ java: java17, javac: 'javac 17.0.13', script: 'script', pdftotext: 'pdftotext version 22.12.0' }));
    expect(result.status).toBe(1);
    expect(result.message).toContain('`pdftoppm`');
    expect(result.message).toContain('sudo apt-get install -y poppler-utils\n');
  });

  it('stops at once on a bare machine, naming each missing piece and the one command that installs them', () => {
    const result = check({ path: '/nonexistent', chromium: '/nonexistent/chromium' });
    expect(result.status).toBe(1);
    expect(result.message).toContain('Java 17 or later');
    expect(result.message).toContain('Chromium at /nonexistent/chromium');
    expect(result.message).toContain('`script`');
    expect(result.message).toContain('sudo apt-get install -y openjdk-17-jdk-headless chromium poppler-utils bsdutils');
  });

  it('refuses a Java older than 17, and a JRE without javac', () => {
    const old = check(machine({ java: 'openjdk version "11.0.21" 2023-10-17', javac: 'javac 11.0.21', script: 'script', ...poppler }));
    expect(old.status).toBe(1);
    expect(old.message).toContain('found Java 11');
    expect(old.message).toContain('sudo apt-get install -y openjdk-17-jdk-headless\n');
    const jreOnly = check(machine({ java: java17, script: 'script', ...poppler }));
    expect(jreOnly.status).toBe(1);
    expect(jreOnly.message).toContain('(`javac`)');
  });
});
