import { Cron } from 'croner';
import type { Invoke } from './functions.ts';

export interface ScheduledTarget {
  name: string;
  cron: string;
  invoke: Invoke;
}

/** Runs the manifest's schedules (UTC), as EventBridge Scheduler does on AWS; a run never overlaps itself. */
export class Scheduler {
  private readonly jobs: Cron[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly targets: ScheduledTarget[]) {}

  start(): void {
    for (const target of this.targets) {
      const job = new Cron(target.cron, { timezone: 'UTC', protect: true }, async () => {
        const run = target
          .invoke({ source: 'aws.scheduler', 'detail-type': 'Scheduled Event', time: new Date().toISOString(), detail: {} })
          .catch((error: unknown) => console.error(`scheduler: ${target.name} failed:`, error instanceof Error ? error.message : error));
        this.running.add(run);
        await run;
        this.running.delete(run);
      });
      this.jobs.push(job);
    }
  }

  async stop(): Promise<void> {
    for (const job of this.jobs) job.stop();
    await Promise.all(this.running);
  }
}
