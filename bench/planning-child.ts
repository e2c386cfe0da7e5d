/**
 * Urgent-call planning on its own: the planner (shared/use-cases/plan-outreach.ts) over a table of confirmed
 * subscribers, in a process of its own with nothing else using the table or the machine's cores, so the figure
 * is the planner's and not that of the senders it shares DynamoDB Local with in the fan-out run.
 */
import { ensureLimitsTable, ensureTable, localClient } from '#infra/local/dynamodb-local.ts';
import { resetConfig } from '#shared/config.ts';
import { serveJob } from './child.ts';

export interface PlanningJob {
  dynamoEndpoint: string;
  /** A table already holding the subscribers, used by nothing else. */
  tableName: string;
  runs: number;
}

export interface PlanningResult {
  recipients: number;
  /** Each run's wall time, a new digest each (the first run of each takes the fast path). */
  runsMs: number[];
}

async function plan(job: PlanningJob): Promise<PlanningResult> {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: job.dynamoEndpoint,
    TABLE_NAME: job.tableName,
    LIMITS_TABLE_NAME: `${job.tableName}-limits`,
    TOKEN_SECRET: 'bench-planning-secret',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  resetConfig();
  await ensureTable(localClient(job.dynamoEndpoint), job.tableName);
  await ensureLimitsTable(localClient(job.dynamoEndpoint), `${job.tableName}-limits`);
  // Loaded after the environment is set, as a handler module would be.
  const { createOutreach } = await import('#shared/store/outreach-store.ts');
  const { planOutreach } = await import('#shared/use-cases/plan-outreach.ts');
  const runsMs: number[] = [];
  let recipients = 0;
  for (let run = 1; run <= job.runs; run++) {
    // A digest goes to every weekly reader, with no campaign to read: the planner's own work and nothing else.
    const id = `bench-digest-${run}`;
    await createOutreach({ id, kind: 'digest', period: `2036-W${String(run).padStart(2, '0')}`, requestedBy: 'bench' });
    const started = performance.now();
    ({ recipients } = await planOutreach(id));
    runsMs.push(Math.round(performance.now() - started));
  }
  return { recipients, runsMs };
}

serveJob(plan, (error) => (error instanceof Error ? (error.stack ?? error.message) : String(error)));
