import { readFileSync } from 'node:fs';

/** The chain of parent process ids up to init, read from /proc (Linux); empty where there is no /proc. */
export function ancestorPids(pid = process.pid): number[] {
  const chain: number[] = [];
  let current = pid;
  for (let depth = 0; depth < 32; depth++) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${current}/stat`, 'utf8');
    } catch {
      break;
    }
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
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
 */
export function watchAncestors(onGone: () => void, everyMs = 1000): () => void {
  const ancestors = ancestorPids();
  const timer = setInterval(() => {
    if (ancestors.some((pid) => !alive(pid)) || process.ppid === 1) onGone();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
