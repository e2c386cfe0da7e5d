/**
 * The paced-mail benchmark's stack, in a process of its own: the benchmark's timed SES endpoint then notes
 * arrivals on an event loop the senders do not share, so what it measures is when mail left, not when a busy
 * process got round to looking.
 */
import { startLocalStack, type LocalStack } from '#infra/local/runtime.ts';
import { freePort } from '#infra/local/ports.ts';

interface Job {
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  adminToken: string;
}

let stack: LocalStack | undefined;

process.on('message', (message: Job | 'stop') => {
  if (message === 'stop') {
    void (async () => {
      const deadLetters = stack?.queueDeadLetters().length ?? 0;
      await stack?.stop();
      process.send!({ stopped: true, deadLetters });
      process.exit(0);
    })();
    return;
  }
  void (async () => {
    stack = await startLocalStack({
      port: await freePort(),
      sesPort: 0,
      dynamoEndpoint: message.dynamoEndpoint,
      sesEndpoint: message.sesEndpoint,
      tableName: message.tableName,
      adminToken: message.adminToken,
      demoData: false,
    });
    process.send!({ url: stack.url });
  })().catch((error: unknown) => {
    process.send!({ error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
});
