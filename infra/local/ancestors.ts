import { readFileSync } from 'node:fs';

/**
 * The fields of `/proc/<pid>/stat` after the command name (state, ppid, …, utime at 11, stime at 12), or
 * undefined when there is no such process or no /proc. The command name may contain spaces and
 * parentheses, so the fields start after the last ')'.
 */
export function procStat(pid: number | string): string[] | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The chain of parent process ids up to init, read from /proc (Linux); empty where there is no /proc. */
export function ancestorPids(pid = process.pid): number[] {
  const chain: number[] = [];
  let current = pid;
  for (let depth = 0; depth < 32; depth++) {
    const fields = procStat(current);
    if (!fields) break;
    const parent = Number(fields[1]);
    if (!parent || parent <= 1) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Calls `onGone` once any process that started us (npm, its shell, tsx) has exited. `npm start` killed on
 * its own does not pass the signal down the chain; without this the runtime, and its Java, would live on.
 * The direct parent is among the watched ancestors, so its exit is seen here; a parent that is init from
 * the start (a container's entry point) is no sign of anything having gone.
 */
export function watchAncestors(onGone: () => void, everyMs = 1000): () => void {
  const ancestors = ancestorPids();
  const timer = setInterval(() => {
    if (ancestors.some((pid) => !alive(pid))) onGone();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
