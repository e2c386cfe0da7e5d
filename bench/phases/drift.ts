import { fork } from 'node:child_process';
import path from 'node:path';
import type { DriftJob, DriftResult } from '../fault-child.ts';
import type { BenchSettings } from '../settings.ts';

const childScript = path.join(import.meta.dirname, '..', 'fault-child.ts');

/** Runs the fault-injected burst in its own process with its own stack, and brings back the result. */
export function countDrift(settings: BenchSettings['drift']): Promise<DriftResult> {
  const job: DriftJob = { signatures: settings.signatures, concurrency: settings.concurrency, faults: settings.faults };
  return new Promise((resolve, reject) => {
    const child = fork(childScript, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answer: { ok: true; result: DriftResult } | { ok: false; error: string } | undefined;
    child.once('message', (message) => (answer = message as typeof answer));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (answer?.ok) resolve(answer.result);
      else reject(new Error(`drift run failed (exit ${code}): ${answer && !answer.ok ? answer.error : 'no answer'}`));
    });
    child.send(job);
  });
}
