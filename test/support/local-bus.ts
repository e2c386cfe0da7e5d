import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBus, type BusEvent, type FailedDelivery } from '#infra/local/event-bus.ts';
import { JsonLines } from '#infra/local/state-file.ts';

export interface TestBus {
  /** Tadamon's events the bus took, in order. */
  events: BusEvent[];
  /** While true, every PutEvents entry is refused (`FailedEntryCount`), as a throttled EventBridge answers. */
  refuse: (refusing: boolean) => void;
  drain: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * The local bus, for suites whose functions put events (CountConfirmations announces what it counted): it takes
 * every PutEvents and keeps Tadamon's events, so a test can read them. Call before the first event is put (the
 * publisher's client reads AWS_ENDPOINT_URL_EVENTBRIDGE once).
 */
export async function useLocalBus(): Promise<TestBus> {
  const events: BusEvent[] = [];
  const bus = new EventBus([{ name: 'Recorder', pattern: { source: ['tadamon'] }, invoke: (event) => Promise.resolve(void events.push(event as BusEvent)) }], new JsonLines<FailedDelivery>(undefined));
  const busUrl = `http://127.0.0.1:${await bus.listen()}`;
  let refusing = false;
  // In front of the bus: passes calls on, or refuses every entry.
  const front = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (refusing) {
        const entries = (JSON.parse(body.toString('utf8')) as { Entries?: unknown[] }).Entries ?? [];
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(
          JSON.stringify({ FailedEntryCount: entries.length, Entries: entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'refused by the test' })) }),
        );
        return;
      }
      void fetch(busUrl, { method: 'POST', headers: { 'content-type': String(req.headers['content-type']), 'x-amz-target': String(req.headers['x-amz-target']) }, body }).then(async (answer) => {
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/x-amz-json-1.1' }).end(await answer.text());
      });
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  return {
    events,
    refuse: (value) => {
      refusing = value;
    },
    drain: () => bus.drain(),
    close: async () => {
      await new Promise((resolve) => front.close(resolve));
      await bus.close();
    },
  };
}
