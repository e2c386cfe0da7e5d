import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import type { LocalProcess } from '#test/support/local-process.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
/** The CLI's entry point, as `npx tadamon` runs it. */
export const cliBin = path.join(root, 'cli', 'bin.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Where it runs. */
  cwd: string;
  /** A scratch folder: the config file is looked for there (and not found), never in the machine's home. */
  work: string;
  /** The API it talks to (`--url`/`--token`, after the arguments); none to run it unconnected. */
  connection?: { url: string; token: string };
  /** What the person types (one answer a line); without it standard input is closed. */
  input?: string;
  env?: Record<string, string>;
  /** Another way to start it (a shell, npx): the command and the arguments before the CLI's. */
  command?: [string, string[]];
}

/** Runs the CLI as a person would, in a child process, with no config file or TADAMON_* variables of the machine's. */
export function runCli(args: string[], options: CliRunOptions): Promise<CliRun> {
  const { TADAMON_URL: _url, TADAMON_TOKEN: _token, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = { ...inherited, TADAMON_CONFIG: path.join(options.work, 'no-config.json'), ...options.env };
  const connection = options.connection ? ['--url', options.connection.url, '--token', options.connection.token] : [];
  const [command, prefix] = options.command ?? [process.execPath, [cliBin]];
  const stdin = options.input === undefined ? 'ignore' : 'pipe';
  const child = spawn(command, [...prefix, ...args, ...connection], { cwd: options.cwd, env, stdio: [stdin, 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin?.end(options.input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The result of a `--json` run: it must have succeeded, written nothing to standard error and only JSON to standard output. */
export function jsonOf<T>(run: CliRun): T {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** Calls the API as the operator, as fixtures do (the CLI itself is what the tests exercise); it must succeed. */
export async function operatorFetch<T>(stack: LocalProcess, pathname: string, method = 'GET', body?: unknown): Promise<T> {
  const response = await fetch(`${stack.url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(response.ok, `${method} ${pathname}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
}
