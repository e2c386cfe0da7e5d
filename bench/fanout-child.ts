/**
 * The fan-out benchmark's sender side: a local stack in a process of its own, so the benchmark can kill it
 * mid-outreach (SIGKILL, no goodbye) and start another on the same table and the same inbox.
 */
import { startLocalStack } from '#infra/local/runtime.ts';
import { freePort } from '#infra/local/ports.ts';

interface Job {
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  adminToken: string;
  /** Where stream checkpoints (and the local secrets) are kept, shared by the sender that replaces this one. */
  dataDir: string;
}

process.once('message', (job: Job) => {
  void (async () => {
    const stack = await startLocalStack({
      port: await freePort(),
      sesPort: 0,
      dynamoEndpoint: job.dynamoEndpoint,
      sesEndpoint: job.sesEndpoint,
      tableName: job.tableName,
      adminToken: job.adminToken,
      dataDir: job.dataDir,
      demoData: false,
    });
    process.send!({ url: stack.url });
  })().catch((error: unknown) => {
    process.send!({ error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
});
