import { mkdirSync, readFileSync, renameSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';

/** A small JSON document kept on disk (atomically replaced), or only in memory when there is no data dir. */
export class StateFile<T extends object> {
  private value: T;

  constructor(
    private readonly file: string | undefined,
    initial: T,
  ) {
    this.value = initial;
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
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
    writeFileSync(temporary, JSON.stringify(this.value));
    renameSync(temporary, this.file);
  }
}

/** Append-only JSON lines, mirrored in memory so the runtime can list them. */
export class JsonLines<T> {
  private readonly entries: T[] = [];

  constructor(private readonly file: string | undefined) {
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) this.entries.push(JSON.parse(line) as T);
    } catch {
      // No file yet.
    }
  }

  append(entry: T): void {
    this.entries.push(entry);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  list(): readonly T[] {
    return this.entries;
  }
}
