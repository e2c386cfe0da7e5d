import { appendFileSync, chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { privateDirectoryMode, privateFileMode } from './data-dir.ts';

/** A message as the local queues hold it, and as the journal records it when it is sent. */
export interface StoredMessage {
  id: string;
  body: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The queue it was dead-lettered from: where a redrive without a destination returns it. */
  source?: string;
}

export type JournalEntry =
  | { op: 'send'; queue: string; message: StoredMessage }
  | { op: 'receive'; queue: string; ids: string[]; at: number }
  | { op: 'delete'; queue: string; ids: string[] }
  | { op: 'move'; from: string; to: string; ids: string[]; reset: boolean }
  | { op: 'purge'; queue: string };

/**
 * The queues' journal: one JSON line per change, appended before the change is answered, and rewritten at start
 * (and when mostly spent) to the messages still held. Readable by its owner only: bodies may name people.
 */
export class Journal {
  lines = 0;

  constructor(private readonly file: string | undefined) {
    if (file) mkdirSync(path.dirname(file), { recursive: true, mode: privateDirectoryMode });
  }

  load(): JournalEntry[] {
    if (!this.file) return [];
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const entries: JournalEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch {
        // A line cut short by a crash mid-append was never acknowledged: nothing is lost by skipping it.
      }
    }
    return entries;
  }

  append(entry: JournalEntry): void {
    if (!this.file) return;
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: privateFileMode });
    this.lines++;
  }

  /** Rewrites the journal as just these entries (atomically), so it holds what is live, not all history. */
  compact(entries: readonly JournalEntry[]): void {
    if (!this.file) return;
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''), { mode: privateFileMode });
    chmodSync(temporary, privateFileMode);
    renameSync(temporary, this.file);
    this.lines = entries.length;
  }
}
