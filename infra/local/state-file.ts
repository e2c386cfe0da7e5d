import { appendFileSync, chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { privateDirectoryMode, privateFileMode } from './data-dir.ts';

/**
 * A small JSON document kept on disk (atomically replaced), or only in memory when there is no data dir.
 * Readable by its owner only: some hold secrets.
 */
export class StateFile<T extends object> {
  private value: T;

  constructor(
    private readonly file: string | undefined,
    initial: T,
  ) {
    this.value = initial;
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true, mode: privateDirectoryMode });
    try {
      this.value = JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch {
      this.value = initial;
    }
  }

  get(): T {
    return this.value;
  }

  update(change: (value: T) => void): void {
    change(this.value);
    if (!this.file) return;
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.value), { mode: privateFileMode });
    // The mode above applies only to a file it creates: a temporary file left by a crash keeps its own.
    chmodSync(temporary, privateFileMode);
    renameSync(temporary, this.file);
  }
}

/** Append-only JSON lines, mirrored in memory so the runtime can list them; readable by their owner only. */
export class JsonLines<T> {
  private readonly entries: T[] = [];

  constructor(private readonly file: string | undefined) {
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true, mode: privateDirectoryMode });
    try {
      for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) this.entries.push(JSON.parse(line) as T);
    } catch {
      // No file yet.
    }
  }

  append(entry: T): void {
    this.entries.push(entry);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: privateFileMode });
  }

  list(): readonly T[] {
    return this.entries;
  }
}
