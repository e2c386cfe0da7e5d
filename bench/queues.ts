/**
 * `npx tsx bench/queues.ts [messages]`: the local queues' throughput, journal on disk, through the AWS SDK as the
 * handlers use it: SendMessageBatch (the stream router's side), then delivery by the poller to a handler that
 * does nothing (the senders' side, without their DynamoDB and SES work), at the manifest's batch size and
 * concurrency. It measures what the local runtime adds to a mail's way, not SES's pace.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { noFaults } from '#infra/local/faults.ts';
import { QueuePoller } from '#infra/local/queue-poller.ts';
import { LocalQueues } from '#infra/local/queue-service.ts';
import { localQueueConsumers, localQueueDefinitions } from '#infra/local/queues.ts';
import { manifest } from '#infra/manifest.ts';
import { benchSettings } from './settings.ts';

const total = Number(process.argv[2] ?? 20_000);
const senders = 8;
const dir = mkdtempSync(path.join(tmpdir(), 'tadamon-bench-queues-'));
const file = path.join(dir, 'queues.jsonl');

try {
  const queues = new LocalQueues(localQueueDefinitions(manifest), { file });
  const endpoint = await queues.listen();
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const url = queues.url('bulk-mail');

  let next = 0;
  const sendStart = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < total) {
        const first = next;
        next += 10;
        const entries = Array.from({ length: Math.min(10, total - first) }, (_, i) => ({
          Id: `m${i}`,
          MessageBody: JSON.stringify({ outreachId: 'bench', emailKey: `key-${first + i}` }),
        }));
        const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
        if (result.Failed?.length) throw new Error(`${result.Failed.length} refused`);
      }
    }),
  );
  const sendSeconds = (performance.now() - sendStart) / 1000;
  const journalBytes = statSync(file).size;

  const bulk = manifest.filter((spec) => spec.triggers.some((t) => t.type === 'queue' && t.queue === 'bulk-mail'));
  let delivered = 0;
  const consumers = localQueueConsumers(
    bulk,
    new Map(bulk.map((spec) => [spec.name, async (event: unknown) => void (delivered += (event as SQSEvent).Records.length)])),
    // As wide as the fan-out bench's sender runs at its cap.
    benchSettings(process.env).fanout.capPerSecond,
  );
  const poller = new QueuePoller({ queues, consumers, faults: noFaults });
  const deliverStart = performance.now();
  poller.start();
  while (queues.counts('bulk-mail').visible + queues.counts('bulk-mail').inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  const deliverSeconds = (performance.now() - deliverStart) / 1000;
  await poller.stop();
  await queues.close();

  const trigger = consumers[0]?.trigger;
  console.log(`local queues, ${total} messages, journal on disk (${(journalBytes / total).toFixed(0)} bytes a message sent)`);
  console.log(`  SendMessageBatch through the SDK, ${senders} senders: ${(total / sendSeconds).toFixed(0)} messages/s`);
  console.log(
    `  delivered to a no-op ${consumers[0]?.name} (batch ${trigger?.batchSize}, max concurrency ${trigger?.maxConcurrency ?? 'default'}): ${(delivered / deliverSeconds).toFixed(0)} messages/s`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
