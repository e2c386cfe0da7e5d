import path from 'node:path';
import { runChild } from '../child.ts';
import type { DriftJob, DriftResult } from '../fault-child.ts';
import type { BenchSettings } from '../settings.ts';

const childScript = path.join(import.meta.dirname, '..', 'fault-child.ts');

/** Runs the fault-injected burst in its own process with its own stack, and brings back the result. */
export function countDrift(settings: BenchSettings['drift']): Promise<DriftResult> {
  const job: DriftJob = { signatures: settings.signatures, concurrency: settings.concurrency, faults: settings.faults };
  return runChild<DriftJob, DriftResult>(childScript, job, 'drift run failed');
}
