/**
 * One job handed to a forked bench script and its one answer back, over IPC. Kept free of other imports:
 * the load generator loads it, and must stay a small process next to the stack it measures.
 */
import { fork } from 'node:child_process';

type Answer<R> = { ok: true; result: R } | { ok: false; error: string };

/** Forks `script` (same tsx loader), sends it `job`, and resolves with its result once it has exited. */
export function runChild<J extends object, R>(script: string, job: J, failure: string): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answer: Answer<R> | undefined;
    child.once('message', (message) => (answer = message as Answer<R>));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (answer?.ok) resolve(answer.result);
      else reject(new Error(`${failure} (exit ${code}): ${answer && !answer.ok ? answer.error : 'no answer'}`));
    });
    child.send(job);
  });
}

/** The child's side: runs the first job it is sent, answers, and exits once the answer is out. */
export function serveJob<J, R>(run: (job: J) => Promise<R>, describe: (error: unknown) => string): void {
  process.once('message', (job: J) => {
    run(job).then(
      (result) => process.send!({ ok: true, result } satisfies Answer<R>, () => process.exit(0)),
      (error: unknown) => process.send!({ ok: false, error: describe(error) } satisfies Answer<R>, () => process.exit(0)),
    );
  });
}
