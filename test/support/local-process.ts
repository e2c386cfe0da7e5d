import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '#infra/local/ports.ts';

export interface LocalProcess {
  url: string;
  inboxUrl: string;
  eventBusUrl: string;
  adminToken: string;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  child: ChildProcess;
}

const root = path.resolve(import.meta.dirname, '..', '..');

/** Starts the local runtime exactly as `npm start` does, on free ports, and waits until it says it is up. */
export async function startLocalProcess(env: Record<string, string>): Promise<LocalProcess> {
  const port = await freePort();
  const sesPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), SES_PORT: String(sesPort), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  while (!/Tadamon is up/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the local runtime did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const adminToken = /Admin token\s+(\S+)/.exec(output)?.[1] ?? '';
  const eventBusUrl = /Event bus\s+(\S+)/.exec(output)?.[1] ?? '';
  return {
    url: `http://127.0.0.1:${port}`,
    inboxUrl: `http://127.0.0.1:${sesPort}`,
    eventBusUrl,
    adminToken,
    output: () => output,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface InboxMail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: { name: string; value: string }[];
}

export async function inbox(inboxUrl: string): Promise<InboxMail[]> {
  const response = await fetch(`${inboxUrl}/store`);
  return ((await response.json()) as { emails: InboxMail[] }).emails;
}

/** Polls until `check` returns a value (not undefined) or the time is up: generous, since a loaded machine is slow and a met condition returns at once. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
