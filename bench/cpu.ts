import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { procStat } from '#infra/local/ancestors.ts';
import { round } from './stats.ts';

/** How the machine's cores were used during a window: by this benchmark (its process tree) and by others. */
export interface CpuShare {
  seconds: number;
  cores: number;
  /** Cores' worth of CPU used by the bench process and its children (DynamoDB Local, autocannon, …). */
  benchCores: number;
  /** The part of benchCores used by the bench process itself (the stack), DynamoDB Local, and other children. */
  benchSplit: { stack: number; dynamoDbLocal: number; children: number };
  /** Cores' worth used by every other process on the machine. */
  otherCores: number;
  idleCores: number;
}

function machineTicks(): { total: number; idle: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((s, v) => s + v, 0);
    return { total, idle: fields[3]! + fields[4]! };
  } catch {
    return undefined;
  }
}

function processes(): Map<number, { ppid: number; ticks: number }> {
  const all = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = procStat(name);
    // Gone meanwhile.
    if (!fields) continue;
    // After the command: state(0) ppid(1) … utime(11) stime(12).
    all.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return all;
}

function treeTicks(): Map<number, number> {
  const all = processes();
  const mine = new Map<number, number>();
  const queue = [process.pid];
  while (queue.length) {
    const pid = queue.pop()!;
    const entry = all.get(pid);
    if (entry) mine.set(pid, entry.ticks);
    for (const [child, info] of all) if (info.ppid === pid && !mine.has(child)) queue.push(child);
  }
  return mine;
}

/**
 * Starts measuring; the returned function ends the window. The process tree is sampled every 250 ms so
 * children that exit inside the window (the load generator) are still accounted for.
 */
export function cpuWindow(): () => CpuShare | undefined {
  const startMachine = machineTicks();
  if (!startMachine) return () => undefined;
  const started = performance.now();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = () => {
    for (const [pid, ticks] of treeTicks()) {
      if (!first.has(pid)) first.set(pid, performance.now() - started < 300 ? ticks : 0);
      last.set(pid, ticks);
    }
  };
  sample();
  const timer = setInterval(sample, 250);
  return () => {
    clearInterval(timer);
    sample();
    const end = machineTicks()!;
    const cores = os.cpus().length;
    const perCore = (end.total - startMachine.total) / cores;
    let bench = 0;
    const split = { stack: 0, dynamoDbLocal: 0, children: 0 };
    for (const [pid, ticks] of last) {
      const used = ticks - (first.get(pid) ?? 0);
      bench += used;
      if (pid === process.pid) split.stack += used;
      else if (isDynamoDbLocal(pid)) split.dynamoDbLocal += used;
      else split.children += used;
    }
    const busy = end.total - startMachine.total - (end.idle - startMachine.idle);
    return {
      seconds: round((performance.now() - started) / 1000),
      cores,
      benchCores: round(bench / perCore, 2),
      benchSplit: { stack: round(split.stack / perCore, 2), dynamoDbLocal: round(split.dynamoDbLocal / perCore, 2), children: round(split.children / perCore, 2) },
      otherCores: round(Math.max(0, busy - bench) / perCore, 2),
      idleCores: round((end.idle - startMachine.idle) / perCore, 2),
    };
  };
}

function isDynamoDbLocal(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal');
  } catch {
    return false;
  }
}

/**
 * Remembers every DynamoDB Local JVM started under this process (the stacks', the drift child's), so the
 * end of the run can tell whether any of them outlived its stack. Others' JVMs on the machine are ignored.
 */
export function trackOwnDynamoDbLocals(): { stop(): void; seen(): number[]; alive(): number[] } {
  const seen = new Set<number>();
  const look = () => {
    for (const pid of treeTicks().keys()) if (pid !== process.pid && !seen.has(pid) && isDynamoDbLocal(pid)) seen.add(pid);
  };
  look();
  const timer = setInterval(look, 500);
  return {
    stop: () => clearInterval(timer),
    seen: () => [...seen],
    alive: () => [...seen].filter(isDynamoDbLocal),
  };
}
