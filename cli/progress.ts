import cliProgress from 'cli-progress';
import type { Context } from './output.ts';

/**
 * Progress for people: a live bar on a terminal (stderr), plain lines when stderr is not a terminal
 * (logs, CI), nothing at all in --json mode.
 */
export interface Progress {
  update(value: number, total: number | undefined, detail: string): void;
  stop(): void;
}

export function progress(ctx: Context, label: string, options: { plainEveryMs?: number } = {}): Progress {
  if (ctx.json) return { update: () => {}, stop: () => {} };
  if (process.stderr.isTTY) return terminalBar(label);
  return plainLines(ctx, label, options.plainEveryMs ?? 0);
}

function terminalBar(label: string): Progress {
  const width = 30;
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    hideCursor: true,
    fps: 10,
    // Our own format: a total of 0 (nothing to do, or not known yet) must not show as 100 % or NaN.
    format: (_options, params, payload: { detail: string; known: boolean }) => {
      const ratio = params.total > 0 ? Math.min(1, params.value / params.total) : 0;
      const filled = Math.round(ratio * width);
      const shown = payload.known ? `${params.value}/${params.total}  ${String(Math.floor(ratio * 100)).padStart(3)}%` : `${params.value}`;
      return `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${shown}  ${payload.detail}`;
    },
  });
  let started = false;
  const onSignal = () => {
    bar.stop();
    process.exit(130);
  };
  return {
    update(value, total, detail) {
      const payload = { detail, known: total !== undefined };
      if (!started) {
        bar.start(total ?? 0, value, payload);
        started = true;
        process.once('SIGINT', onSignal);
      } else {
        if (total !== undefined && total !== bar.getTotal()) bar.setTotal(total);
        bar.update(value, payload);
      }
    },
    stop() {
      if (started) {
        bar.render();
        bar.stop();
        process.off('SIGINT', onSignal);
      }
    },
  };
}

/** One line when something changed (at most every `everyMs`), so a log reads as a history. */
function plainLines(ctx: Context, label: string, everyMs: number): Progress {
  let last = '';
  let lastAt = 0;
  let pending: string | undefined;
  const write = (line: string) => {
    ctx.note(`${new Date().toISOString().slice(11, 19)} ${label} ${line}`);
    last = line;
    lastAt = Date.now();
    pending = undefined;
  };
  return {
    update(value, total, detail) {
      const line = `${total !== undefined ? `${value}/${total}` : `${value}`}  ${detail}`;
      if (line === last) return;
      if (Date.now() - lastAt >= everyMs) write(line);
      else pending = line;
    },
    stop() {
      if (pending) write(pending);
    },
  };
}
