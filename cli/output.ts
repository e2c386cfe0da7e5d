import type { Command } from 'commander';
import { resolveConnection } from './config.ts';
import { TadamonClient } from './client.ts';

export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
  pageSize?: number;
}

/** What every command gets: its output channels (quiet in --json mode) and, when asked, an API client. */
export class Context {
  readonly json: boolean;
  private readonly options: GlobalOptions;
  private apiClient: TadamonClient | undefined;

  constructor(options: GlobalOptions) {
    this.options = options;
    this.json = options.json === true;
  }

  static of(command: Command): Context {
    return new Context(command.optsWithGlobals<GlobalOptions>());
  }

  get client(): TadamonClient {
    this.apiClient ??= new TadamonClient(resolveConnection({ url: this.options.url, token: this.options.token }), {
      notice: (m) => this.note(m),
      ...(this.options.pageSize ? { pageSize: this.options.pageSize } : {}),
    });
    return this.apiClient;
  }

  /** A line of the human output (stdout); nothing in --json mode. */
  say(line = ''): void {
    if (!this.json) process.stdout.write(`${line}\n`);
  }

  /** A remark on the side (stderr): warnings, notes, waits; nothing in --json mode. */
  note(line: string): void {
    if (!this.json) process.stderr.write(`${line}\n`);
  }

  /** The machine-readable result: the only thing printed in --json mode. */
  result(value: unknown, human?: () => void): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else human?.();
  }
}

/** Aligned columns for lists; long cells are cut to `max` characters. */
export function table(rows: string[][], header: string[], max = 60): string[] {
  const cut = (cell: string) => {
    const flat = cell.replace(/\s+/g, ' ');
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  };
  const all = [header, ...rows].map((row) => row.map(cut));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
